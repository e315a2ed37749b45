package dev.lockstep.api.order;

import dev.lockstep.indexer.model.GasSponsor;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.ports.OrderDesk;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code quote} resource ({@code POST /v1/quotes}) and what every API order is priced at: the
 * asset's mark, the notional it gives the quantity, the slippage bound the order book enforces
 * ({@code max_notional_usdc} for a mint, {@code min_notional_usdc} for a redeem), each fee, the gas
 * estimate and cap, and what the paying wallet puts down ({@code total_usdc}, a mint) or the payout
 * to expect ({@code estimated_payout_usdc}, a redeem). Amounts are decimal strings with 6 decimals;
 * fees are rounded up to the base unit as the order book rounds them. An order made from a quote
 * ({@code quote_id}) is held to its bound, fees and gas until {@code expires_at}, 30 s after it was
 * made.
 *
 * @param priceUsd the mark used, USD per share
 * @param priceAt when the feed published it
 * @param total a mint's most the wallet pays: maximum notional, fees and the gas cap or deposit
 * @param estimatedPayout a redeem's payout at the mark after fees and estimated gas
 */
public record Quote(
    String id,
    String object,
    OrderSide side,
    String asset,
    String chain,
    long chainId,
    String currency,
    String currencyAddress,
    String quantity,
    String priceUsd,
    Instant priceAt,
    String notionalUsdc,
    int slippageBps,
    Optional<String> maxNotionalUsdc,
    Optional<String> minNotionalUsdc,
    Fee platformFee,
    Optional<DeveloperFee> developerFee,
    GasTerms gas,
    Optional<String> totalUsdc,
    Optional<String> estimatedPayoutUsdc,
    Instant expiresAt,
    Instant createdAt,
    Optional<Signing> signing) {

  /**
   * What a holder who keeps its own key signs for this quote's order ({@code POST /v1/quotes} with
   * {@code wallet}): the EIP-712 {@code OrderIntent} that {@code OrderBook.createWithIntent} takes,
   * and the EIP-2612 permit of the token the order locks (the asset for a redeem, the stablecoin
   * for a mint). Both typed data are ready for {@code eth_signTypedData_v4}; the digests are for
   * signers that take a hash. Tokens or proceeds go to the holder's wallet. The quote holds until
   * the intent's deadline.
   *
   * @param wallet the holder, lowercase
   * @param intentNonce the holder's next order-book nonce, which the intent carries
   * @param deadline unix seconds: the intent's and the permit's deadline (and the quote's expiry)
   * @param lockedToken the token the order locks from the holder
   * @param lockedAmount what it locks, base units
   */
  public record Signing(
      String wallet,
      String orderBook,
      String intentNonce,
      long deadline,
      String lockedToken,
      String lockedAmount,
      Map<String, Object> intentTypedData,
      String intentDigest,
      Map<String, Object> permitTypedData,
      String permitDigest) {}

  /** This quote made signable by {@code signing}, held until the intent's deadline. */
  Quote withSigning(Signing signing) {
    return new Quote(
        id,
        object,
        side,
        asset,
        chain,
        chainId,
        currency,
        currencyAddress,
        quantity,
        priceUsd,
        priceAt,
        notionalUsdc,
        slippageBps,
        maxNotionalUsdc,
        minNotionalUsdc,
        platformFee,
        developerFee,
        gas,
        totalUsdc,
        estimatedPayoutUsdc,
        Instant.ofEpochSecond(signing.deadline()),
        createdAt,
        Optional.of(signing));
  }

  /** The platform fee: the tenant tier's basis points, and the amount at the quoted notional. */
  public record Fee(int bps, String amountUsdc) {}

  /** The developer fee: basis points, the amount at the quoted notional, where it accrues. */
  public record DeveloperFee(int amountBps, String amountUsdc, String destination) {}

  /**
   * Gas: who pays, the settle's estimate at the chain's current price, and the cap the order book
   * charges at most.
   */
  public record GasTerms(GasSponsor sponsor, String estimatedGasUsdc, String maxGasUsdc) {}

  /** How long a quote holds: 30 seconds. */
  public static final java.time.Duration LIFETIME = java.time.Duration.ofSeconds(30);

  /** The quoted quantity in base units (1e-6 share). */
  BigInteger quantityUnits() {
    return units(quantity);
  }

  /** The order book's bound: a mint's maximum notional, a redeem's minimum payout. */
  BigInteger boundUnits() {
    return units(
        side == OrderSide.MINT ? maxNotionalUsdc.orElseThrow() : minNotionalUsdc.orElseThrow());
  }

  /** The order's terms as the order book takes them. */
  OrderDesk.OrderTerms terms() {
    return new OrderDesk.OrderTerms(
        platformFee.bps(),
        developerFee.map(DeveloperFee::amountBps).orElse(0),
        developerFee.map(DeveloperFee::destination),
        gas.sponsor(),
        units(gas.maxGasUsdc()));
  }

  /** {@code amount} (6 decimals) in base units. */
  static BigInteger units(String amount) {
    return new BigDecimal(amount).movePointRight(6).toBigIntegerExact();
  }
}
