package dev.lockstep.contracts;

import dev.lockstep.holder.HolderSigning;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * A proof-of-reserve report for {@code ReserveFeed.report} (relayed through {@code
 * AssetTokenFactory.reportReserve}): the EIP-712 typed data {@code Reserve(address token,uint256
 * shares,uint64 asOf,uint80 round)} in the domain {@code "Lockstep ReserveFeed"}, version {@code
 * "1"}, the chain and the token's feed, signed by the broker's reserve attester (the factory's
 * RESERVE_ATTESTER_ROLE). The feed records {@code shares} as its next round's answer only against
 * such a signature, so whoever relays it (the keeper) cannot state a reserve of its own. Hashing by
 * web3j's {@code StructuredDataEncoder} ({@link HolderSigning#digest}).
 *
 * @param token the asset token, 0x-hex
 * @param shares the custodied shares, in the token's base units (1e-6 share)
 * @param asOf unix seconds the custody is stated at; the feed's {@code updatedAt}
 * @param round the feed round the report is for (the latest round + 1)
 * @param attester the signer's address, 0x-hex
 * @param signature {@code r || s || v}, 65 bytes, 0x-hex
 */
public record ReserveReport(
    String token, BigInteger shares, long asOf, long round, String attester, String signature) {

  /**
   * {@code ReserveFeed.RESERVE_ATTESTER_ROLE} ({@code keccak256("RESERVE_ATTESTER_ROLE")}): the
   * factory's role of the broker's reserve attester.
   */
  public static final byte[] ATTESTER_ROLE =
      org.web3j.crypto.Hash.sha3(
          "RESERVE_ATTESTER_ROLE".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  /**
   * Signs a report with {@code attester}'s key.
   *
   * @param feed the token's reserve feed (the EIP-712 verifying contract)
   */
  public static ReserveReport sign(
      Credentials attester,
      long chainId,
      String feed,
      String token,
      BigInteger shares,
      long asOf,
      long round) {
    byte[] digest = digest(chainId, feed, token, shares, asOf, round);
    return new ReserveReport(
        token,
        shares,
        asOf,
        round,
        attester.getAddress(),
        Numeric.toHexString(HolderSigning.signDigest(digest, attester.getEcKeyPair())));
  }

  /** The EIP-712 digest of a report ({@code ReserveFeed.reserveDigest}). */
  public static byte[] digest(
      long chainId, String feed, String token, BigInteger shares, long asOf, long round) {
    String json =
        """
        {"types": {
           "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                            {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
           "Reserve": [{"name": "token", "type": "address"}, {"name": "shares", "type": "uint256"},
                       {"name": "asOf", "type": "uint64"}, {"name": "round", "type": "uint80"}]},
         "primaryType": "Reserve",
         "domain": {"name": "Lockstep ReserveFeed", "version": "1", "chainId": %d, "verifyingContract": "%s"},
         "message": {"token": "%s", "shares": "%s", "asOf": %d, "round": %d}}"""
            .formatted(
                chainId,
                feed.toLowerCase(Locale.ROOT),
                token.toLowerCase(Locale.ROOT),
                shares,
                asOf,
                round);
    return HolderSigning.digest(json);
  }

  /**
   * The call data of {@code AssetTokenFactory.reportReserve(symbol, shares, asOf, attester, sig)}.
   */
  public String factoryCallData(String symbol) {
    return FunctionEncoder.encode(
        new Function(
            "reportReserve",
            List.of(
                new Utf8String(symbol),
                new Uint256(shares),
                new Uint64(BigInteger.valueOf(asOf)),
                new Address(attester),
                new DynamicBytes(Numeric.hexStringToByteArray(signature))),
            List.of()));
  }
}
