package dev.lockstep.api.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.holder.HolderSigning;
import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

class WalletLinkMessageTest {
  /** Anvil's second default account. */
  private static final Credentials HOLDER =
      Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

  private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

  private static WalletLinkMessage message() {
    return new WalletLinkMessage(
        8453,
        "ten_demo",
        HOLDER.getAddress(),
        "0x" + "0".repeat(63) + "1",
        ISSUED,
        ISSUED.plusSeconds(600));
  }

  /**
   * The same digest as {@code contracts/test/WalletLinkDigest.t.sol} computes with Solidity's own
   * {@code abi.encode} and {@code keccak256} from the EIP-712 definitions: an encoding independent
   * of web3j's.
   */
  static final String DIGEST = "0x16d74a1ea090d41c62c98b73f863a08b9b4bb30929447da01442cb90c640eec6";

  @Test
  void digestMatchesSoliditysEncodingOfTheSameMessage() {
    assertThat(Numeric.toHexString(message().digest())).isEqualTo(DIGEST);
  }

  @Test
  void aSignatureByTheWalletRecoversToItAndAnyOtherDoesNot() {
    byte[] digest = message().digest();
    byte[] sig = HolderSigning.signDigest(digest, HOLDER.getEcKeyPair());
    assertThat(SignatureCheck.recover(digest, sig)).contains(HOLDER.getAddress());

    Credentials other = Credentials.create("0x01");
    assertThat(
            SignatureCheck.recover(digest, HolderSigning.signDigest(digest, other.getEcKeyPair())))
        .hasValueSatisfying(a -> assertThat(a).isNotEqualTo(HOLDER.getAddress()));

    // v as 0/1 is accepted, as ecrecover's callers commonly pass it.
    byte[] v01 = sig.clone();
    v01[64] -= 27;
    assertThat(SignatureCheck.recover(digest, v01)).contains(HOLDER.getAddress());

    // Another message: the same signature recovers to someone else.
    var tampered =
        new WalletLinkMessage(
            8453,
            "ten_other",
            HOLDER.getAddress(),
            message().nonce(),
            ISSUED,
            ISSUED.plusSeconds(600));
    assertThat(SignatureCheck.recover(tampered.digest(), sig))
        .hasValueSatisfying(a -> assertThat(a).isNotEqualTo(HOLDER.getAddress()));
  }

  @Test
  void malformedAndMalleableSignaturesRecoverNothing() {
    byte[] digest = message().digest();
    byte[] sig = HolderSigning.signDigest(digest, HOLDER.getEcKeyPair());
    assertThat(SignatureCheck.recover(digest, new byte[64])).isEmpty();
    assertThat(SignatureCheck.recover(digest, new byte[65])).isEmpty();
    byte[] badV = sig.clone();
    badV[64] = 29;
    assertThat(SignatureCheck.recover(digest, badV)).isEmpty();
    // The high-s twin (n - s, v flipped) is the same signature mathematically; EIP-2 refuses it.
    BigInteger n = Sign.CURVE_PARAMS.getN();
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
    byte[] twin = sig.clone();
    System.arraycopy(Numeric.toBytesPadded(n.subtract(s), 32), 0, twin, 32, 32);
    twin[64] = (byte) (sig[64] == 27 ? 28 : 27);
    assertThat(SignatureCheck.recover(digest, twin)).isEmpty();
  }
}
