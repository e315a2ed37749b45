package dev.lockstep.contracts;

import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.holder.HolderSigning;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * A broker fill attested for {@code OrderBook.settle}: the EIP-712 typed data {@code Fill(uint256
 * orderId,uint256 quantity,uint256 grossNotional,uint256 costs,uint64 expiry)} in the domain {@code
 * "Lockstep OrderBook"}, version {@code "1"}, the chain and the order book, signed by the broker's
 * attester (ATTESTER_ROLE). The contract pays {@code grossNotional - costs} only against such a
 * signature, so the keeper cannot pay an amount on its own word. Hashing by web3j's {@code
 * StructuredDataEncoder} ({@link HolderSigning#digest}). Amounts in the payout stablecoin's base
 * units; quantity in the token's.
 *
 * @param expiry last unix second the contract accepts it
 * @param attester the signer's address, 0x-hex
 * @param signature {@code r || s || v}, 65 bytes, 0x-hex
 */
public record FillAttestation(
    long orderId,
    BigInteger quantity,
    BigInteger grossNotional,
    BigInteger costs,
    long expiry,
    String attester,
    String signature) {

  /**
   * Signs a fill with {@code attester}'s key.
   *
   * @param orderBook the order book's address (the EIP-712 verifying contract)
   */
  public static FillAttestation sign(
      Credentials attester,
      long chainId,
      String orderBook,
      long orderId,
      BigInteger quantity,
      BigInteger grossNotional,
      BigInteger costs,
      long expiry) {
    byte[] digest = digest(chainId, orderBook, orderId, quantity, grossNotional, costs, expiry);
    byte[] sig = HolderSigning.signDigest(digest, attester.getEcKeyPair());
    return new FillAttestation(
        orderId,
        quantity,
        grossNotional,
        costs,
        expiry,
        attester.getAddress(),
        Numeric.toHexString(sig));
  }

  /** The EIP-712 digest of a fill ({@code OrderBook.fillDigest}). */
  public static byte[] digest(
      long chainId,
      String orderBook,
      long orderId,
      BigInteger quantity,
      BigInteger grossNotional,
      BigInteger costs,
      long expiry) {
    String json =
        """
        {"types": {
           "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                            {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
           "Fill": [{"name": "orderId", "type": "uint256"}, {"name": "quantity", "type": "uint256"},
                    {"name": "grossNotional", "type": "uint256"}, {"name": "costs", "type": "uint256"},
                    {"name": "expiry", "type": "uint64"}]},
         "primaryType": "Fill",
         "domain": {"name": "Lockstep OrderBook", "version": "1", "chainId": %d, "verifyingContract": "%s"},
         "message": {"orderId": %d, "quantity": "%s", "grossNotional": "%s", "costs": "%s", "expiry": %d}}"""
            .formatted(
                chainId,
                orderBook.toLowerCase(Locale.ROOT),
                orderId,
                quantity,
                grossNotional,
                costs,
                expiry);
    return HolderSigning.digest(json);
  }

  /** The fill as the contract's {@code Fill} struct. */
  public OrderBook.Fill fill() {
    return new OrderBook.Fill(
        BigInteger.valueOf(orderId), quantity, grossNotional, costs, BigInteger.valueOf(expiry));
  }

  /**
   * The call data of {@code settle(fill, attester, signature, gasCharge)}.
   *
   * @param gasCharge the settle's gas in the order's stablecoin base units, as the keeper states
   *     it; the contract charges at most the order's {@code maxGas}
   */
  public String settleCallData(BigInteger gasCharge) {
    return FunctionEncoder.encode(
        new Function(
            "settle",
            List.of(
                fill(),
                new Address(attester),
                new DynamicBytes(Numeric.hexStringToByteArray(signature)),
                new org.web3j.abi.datatypes.generated.Uint256(gasCharge)),
            List.of()));
  }
}
