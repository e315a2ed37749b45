package dev.lockstep.keeper.wallet;

import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.ports.OrderDesk.PlaceOrder;
import dev.lockstep.ports.OrderDesk.Placement;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order book's per-block guardrails as the daemon checks them before sending an order (so a
 * request that would breach one is refused with nothing sent), and the reading of a create that
 * breached one on chain anyway (another order took the room in between). The book is the authority:
 * {@code OrderBook.OrderBookGuardrail(limit, limitValue, currentValue)}.
 */
final class Guardrails {
  /** The breakers in the contract's {@code Guardrail} order, named as the reference names them. */
  static final List<String> NAMES =
      List.of(
          "mint_max_notional_per_address_per_block",
          "mint_max_total_per_block",
          "mint_min_per_tx",
          "mint_daily_notional_per_asset",
          "redeem_max_per_block");

  private static final Pattern REVERT =
      Pattern.compile("OrderBookGuardrail\\((\\d+), (\\d+), (\\d+)\\)");

  private Guardrails() {}

  /**
   * The breach {@code o} would cause at the book's configuration and usage read at the latest
   * block, if any. A per-block window restarts with the block the order will land in, so only the
   * order itself counts against it; the rolling day counts what it holds now.
   *
   * @param blockSeconds the chain's block time (how long a per-block breach waits)
   */
  static Optional<Placement.Guarded> check(
      OrderBook book, PlaceOrder o, String owner, long blockSeconds, Instant now) throws Exception {
    OrderBook.Guardrails g = book.guardrails().send();
    BigInteger bound = o.notionalBound();
    if (o.side() == OrderSide.REDEEM) {
      return over(4, g.redeemMaxPerBlock, bound, blockSeconds);
    }
    if (g.mintMinPerTx.signum() > 0 && bound.compareTo(g.mintMinPerTx) < 0) {
      return Optional.of(new Placement.Guarded(NAMES.get(2), g.mintMinPerTx, bound, 0));
    }
    Optional<Placement.Guarded> perBlock =
        over(0, g.mintMaxPerAddressPerBlock, bound, blockSeconds)
            .or(() -> over(1, g.mintMaxTotalPerBlock, bound, blockSeconds));
    if (perBlock.isPresent() || g.mintDailyPerAsset.signum() == 0) {
      return perBlock;
    }
    BigInteger day = book.guardrailUsage(owner, o.asset()).send().component4().add(bound);
    long untilTomorrow =
        Duration.between(
                now,
                now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC))
            .toSeconds();
    return over(3, g.mintDailyPerAsset, day, untilTomorrow);
  }

  private static Optional<Placement.Guarded> over(
      int limit, BigInteger cap, BigInteger value, long retryAfter) {
    return cap.signum() > 0 && value.compareTo(cap) > 0
        ? Optional.of(new Placement.Guarded(NAMES.get(limit), cap, value, retryAfter))
        : Optional.empty();
  }

  /**
   * The breach a reverted create reports ({@code OrderBookGuardrail(...)} in its outcome), if any.
   */
  static Optional<Placement.Guarded> fromRevert(String outcome, long blockSeconds) {
    Matcher m = REVERT.matcher(outcome);
    if (!m.find()) {
      return Optional.empty();
    }
    int limit = Integer.parseInt(m.group(1));
    return Optional.of(
        new Placement.Guarded(
            limit < NAMES.size() ? NAMES.get(limit) : "guardrail_" + limit,
            new BigInteger(m.group(2)),
            new BigInteger(m.group(3)),
            limit == 2 ? 0 : blockSeconds));
  }
}
