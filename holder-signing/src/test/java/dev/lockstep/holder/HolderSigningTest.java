package dev.lockstep.holder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.utils.Numeric;

class HolderSigningTest {
  private static final ECKeyPair KEY = ECKeyPair.create(BigInteger.valueOf(0xA11CE));
  private static final String SELF = "0x" + Keys.getAddress(KEY);

  private static String challenge(String wallet, String digest) {
    return """
        {"wallet": "%s", "digest": "%s", "typed_data": {
          "types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"}, {"name": "chainId", "type": "uint256"}],
                    "WalletLink": [{"name": "wallet", "type": "address"}, {"name": "nonce", "type": "bytes32"}]},
          "primaryType": "WalletLink",
          "domain": {"name": "Lockstep", "version": "1", "chainId": 8453},
          "message": {"wallet": "%s", "nonce": "0x0000000000000000000000000000000000000000000000000000000000000001"}}}"""
        .formatted(wallet, digest, wallet);
  }

  private static String digestOf(String json) throws Exception {
    var node = tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
    return Numeric.toHexString(
        new StructuredDataEncoder(node.get("typed_data").toString()).hashStructuredData());
  }

  @Test
  void signsAChallengeForItsOwnWalletThatRecoversToIt() throws Exception {
    String digest = digestOf(challenge(SELF, "0x"));
    String sig = HolderSigning.signChallenge(challenge(SELF, digest), KEY);
    byte[] b = Numeric.hexStringToByteArray(sig);
    assertThat(b).hasSize(65);
    BigInteger recovered =
        Sign.signedMessageHashToKey(
            Numeric.hexStringToByteArray(digest),
            new Sign.SignatureData(
                b[64],
                java.util.Arrays.copyOfRange(b, 0, 32),
                java.util.Arrays.copyOfRange(b, 32, 64)));
    assertThat("0x" + Keys.getAddress(recovered)).isEqualTo(SELF);
  }

  @Test
  void refusesAnotherWalletsChallengeAndADigestThatDoesNotMatch() throws Exception {
    String other = "0x" + "1".repeat(40);
    assertThatThrownBy(
            () ->
                HolderSigning.signChallenge(
                    challenge(other, digestOf(challenge(other, "0x"))), KEY))
        .isInstanceOf(HolderSigning.MismatchException.class);
    assertThatThrownBy(
            () -> HolderSigning.signChallenge(challenge(SELF, "0x" + "ab".repeat(32)), KEY))
        .isInstanceOf(HolderSigning.MismatchException.class)
        .hasMessageContaining("not signed");
  }

  @Test
  void refusesAQuoteWithoutSigningOrPayingElsewhere() {
    assertThatThrownBy(() -> HolderSigning.signOrder("{\"id\": \"qte_1\"}", KEY))
        .isInstanceOf(HolderSigning.MismatchException.class);
    String elsewhere =
        """
        {"signing": {"wallet": "%s", "intent_typed_data": {"message": {"owner": "%s", "destination": "0x%s"}},
                     "permit_typed_data": {"message": {"owner": "%s"}}}}"""
            .formatted(SELF, SELF, "2".repeat(40), SELF);
    assertThatThrownBy(() -> HolderSigning.signOrder(elsewhere, KEY))
        .isInstanceOf(HolderSigning.MismatchException.class)
        .hasMessageContaining("destination");
  }
}
