package dev.lockstep.api.order;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * The request bodies of {@code POST /v1/quotes}, {@code /v1/mints} and {@code /v1/redeems}
 * (reference platform-docs "Mint", "Redeem", "Developer fees"; redeem-flow "gas sponsor").
 * Quantities are decimal shares (at most 6 decimals), amounts decimal USD stablecoin (at most 6).
 */
public final class OrderRequests {
  private OrderRequests() {}

  /**
   * Who pays a settle's gas.
   *
   * @param sponsor {@code user_notional} (deducted from the order's money, the default) or {@code
   *     developer} (a deposit from the paying wallet, the unused part refunded)
   * @param maxGasUsdc most the gas may cost; default twice the quote's estimate
   */
  public record Gas(@Nullable String sponsor, @Nullable BigDecimal maxGasUsdc) {}

  /**
   * A developer fee on the order's notional.
   *
   * @param amountBps basis points, 0-1,000 (with the platform fee at most 1,000 together)
   * @param destination where the fee accrues (0x address), required when {@code amount_bps} > 0
   */
  public record DeveloperFee(@Nullable Integer amountBps, @Nullable String destination) {}

  /** Where a mint's money comes from and its tokens go. */
  public record Settlement(
      @Nullable String currency, @Nullable String chain, @Nullable String wallet) {}

  /** Where a redeem's proceeds go. */
  public record Payout(
      @Nullable String currency, @Nullable String chain, @Nullable String wallet) {}

  /**
   * {@code POST /v1/quotes}; with {@code wallet} (a wallet the tenant has proven) the quote carries
   * the intent and permit that wallet signs to place the order itself.
   */
  public record QuoteRequest(
      @Nullable String side,
      @Nullable String asset,
      @Nullable BigDecimal quantity,
      @Nullable String currency,
      @Nullable String chain,
      @Nullable Integer slippageBps,
      @Nullable Gas gas,
      @Nullable DeveloperFee developerFee,
      @Nullable String wallet) {}

  /**
   * {@code POST /v1/mints}: with {@code quote_id}, the quote fixes price bound, fees and gas; with
   * {@code signature} (and {@code permit_signature}) over the quote's intent (and permit), the
   * holder's own wallet pays and receives, and the tenant's settlement wallet only relays. With
   * {@code limit_price} (USD per share) and {@code good_till} (ISO-8601 instant), a limit buy: it
   * waits until the mark is at or below the limit and settles only at a fill at or below it, and is
   * cancelled and refunded after {@code good_till}. {@code order_type} is {@code market} or {@code
   * limit} (trigger orders are sells).
   */
  public record MintRequest(
      @Nullable String asset,
      @Nullable BigDecimal quantity,
      @Nullable Settlement settlement,
      @Nullable Integer slippageBps,
      @Nullable String quoteId,
      @Nullable Gas gas,
      @Nullable DeveloperFee developerFee,
      @Nullable String signature,
      @Nullable String permitSignature,
      @Nullable BigDecimal limitPrice,
      @Nullable String goodTill,
      @Nullable String orderType) {}

  /**
   * {@code POST /v1/redeems}: {@code asset} or {@code position_id} (a mint id: its asset and
   * chain). With {@code limit_price} and {@code good_till}, a limit sell: it waits until the mark
   * is at or above the limit and settles only at a fill at or above it. {@code order_type} {@code
   * stop_loss} (with {@code stop_price}), {@code take_profit} (with {@code take_profit_price}) or
   * {@code oco} (with both, the stop below the take-profit) makes a trigger sell, armed until the
   * asset's 30 s TWAP reaches its price; {@code good_till} defaults to 90 days ahead for those.
   */
  public record RedeemRequest(
      @Nullable String asset,
      @Nullable String positionId,
      @Nullable BigDecimal quantity,
      @Nullable Payout payout,
      @Nullable Integer slippageBps,
      @Nullable String quoteId,
      @Nullable Gas gas,
      @Nullable DeveloperFee developerFee,
      @Nullable String signature,
      @Nullable String permitSignature,
      @Nullable BigDecimal limitPrice,
      @Nullable String goodTill,
      @Nullable String orderType,
      @Nullable BigDecimal stopPrice,
      @Nullable BigDecimal takeProfitPrice) {}
}
