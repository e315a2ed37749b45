package dev.lockstep.api.order;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lockstep.api.Amounts;
import dev.lockstep.api.ChainNames;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.OrderStatus;
import dev.lockstep.indexer.store.OrderEventRow;
import dev.lockstep.indexer.store.OrderRow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code redeem} resource: an order of the OrderBook as indexed. {@code status} is an {@link
 * OrderState} ({@code armed} and {@code triggered} for a trigger sell, {@code queued}, {@code
 * filled}, {@code settled}, {@code failed} with {@code failure_reason}, {@code cancelled});
 * quantities have 6 decimals (shares), notionals 6 decimals (USD stablecoin). {@code final} is true
 * once the block of the order's latest event is finalized on its chain: until then a reorg may
 * still change the status. While {@code filled}, {@code clears_at} says when the broker's execution
 * clears on the venue's cycle (T+1, T+2, monthly), after which the redeem settles.
 */
public record RedeemResource(
    String id,
    String object,
    OrderState status,
    OrderType orderType,
    Optional<OrderType.Limit> limit,
    Optional<OrderType.Trigger> trigger,
    Optional<java.time.Instant> clearsAt,
    Optional<OrderState.FailureReason> failureReason,
    Optional<String> failureDetail,
    String chain,
    long chainId,
    long orderId,
    String asset,
    String tokenAddress,
    String quantity,
    String owner,
    Payout payout,
    OrderMoney.PlatformFee platformFee,
    Optional<OrderMoney.DeveloperFee> developerFee,
    OrderMoney.Cost cost,
    OrderMoney.Gas gas,
    String lockTxHash,
    Instant createdAt,
    Optional<Instant> settledAt,
    Optional<Instant> cancelledAt,
    Optional<String> cancelledBy,
    @JsonProperty("final") boolean isFinal,
    List<HistoryEntry> history) {

  /**
   * Where and how much the redeem pays.
   *
   * @param minNotional the order's minimum payout (slippage bound)
   * @param grossNotional broker proceeds, once settled
   * @param amount paid to {@code wallet}, once settled
   * @param txHash the settle (burn-and-pay) transaction, once settled
   */
  public record Payout(
      String currency,
      String tokenAddress,
      String wallet,
      String minNotional,
      Optional<String> grossNotional,
      Optional<String> amount,
      Optional<String> txHash) {}

  /** One lifecycle event. */
  public record HistoryEntry(
      String event, OrderStatus status, long blockNumber, String txHash, Instant at) {}

  static RedeemResource of(
      OrderRow o, List<OrderEventRow> history, OrderState.View view, ChainNames chains) {
    boolean settled = o.status() == OrderStatus.SETTLED;
    boolean cancelled = o.status() == OrderStatus.CANCELLED;
    Payout payout =
        new Payout(
            o.payoutSymbol(),
            o.payoutToken(),
            o.destination(),
            Amounts.format(o.minNotional(), 6),
            o.grossNotional().map(g -> Amounts.format(g, 6)),
            o.payout().map(p -> Amounts.format(p, 6)),
            settled ? o.closedTx() : Optional.empty());
    return new RedeemResource(
        new OrderId(OrderSide.REDEEM, o.chainId(), o.orderId()).toString(),
        "redeem",
        view.state(),
        OrderType.of(o),
        OrderType.limitOf(o),
        OrderType.triggerOf(o, history),
        view.clearsAt(),
        view.reason(),
        view.failureDetail(),
        chains.name(o.chainId()),
        o.chainId(),
        o.orderId(),
        o.symbol(),
        o.token(),
        Amounts.format(o.quantity(), 6),
        o.owner(),
        payout,
        OrderMoney.platformFee(o),
        OrderMoney.developerFee(o),
        OrderMoney.cost(o),
        OrderMoney.gas(o),
        o.createdTx(),
        o.createdAt(),
        settled ? o.closedAt() : Optional.empty(),
        cancelled ? o.closedAt() : Optional.empty(),
        o.cancelledBy(),
        o.isFinal(),
        history.stream()
            .map(h -> new HistoryEntry(h.event(), h.status(), h.blockNumber(), h.txHash(), h.at()))
            .toList());
  }
}
