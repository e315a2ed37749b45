package dev.lockstep.api.order;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lockstep.api.ChainNames;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.OrderStatus;
import dev.lockstep.indexer.store.OrderEventRow;
import dev.lockstep.indexer.store.OrderRow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code mint} resource (reference platform-docs "Mint"): a mint order of the OrderBook as
 * indexed, whether the API placed it from the tenant's settlement wallet or a wallet created it on
 * chain. Quantities have 6 decimals (shares), amounts 6 decimals (USD stablecoin). {@code
 * notional_usdc} is the broker's gross notional once settled; the order paid at most {@code
 * max_notional_usdc} plus fees and gas and got {@code refund_usdc} back. {@code
 * contract.auto_deployed} is true when the settle deployed the asset's token (the token's first
 * block is the settle's). {@code final} is true once the latest event's block is finalized.
 *
 * @param clearsAt while {@code filled}: when the broker's execution clears on the venue's cycle
 *     (T+1, T+2, monthly), after which the mint settles
 * @param lockTxHash the create transaction (it locked the stablecoin)
 * @param settlement the stablecoin paid in, the destination of the tokens, and the settle tx
 * @param refundUsdc what the settle (or, when failed, the cancel) returned to the owner
 */
public record MintResource(
    String id,
    String object,
    OrderState status,
    OrderType orderType,
    Optional<OrderType.Limit> limit,
    Optional<Instant> clearsAt,
    Optional<OrderState.FailureReason> failureReason,
    Optional<String> failureDetail,
    String asset,
    String quantity,
    String chain,
    long chainId,
    long orderId,
    Optional<String> notionalUsdc,
    String maxNotionalUsdc,
    OrderMoney.PlatformFee platformFee,
    Optional<OrderMoney.DeveloperFee> developerFee,
    OrderMoney.Cost cost,
    OrderMoney.Gas gas,
    Optional<String> refundUsdc,
    Contract contract,
    Settlement settlement,
    String owner,
    String lockTxHash,
    Instant createdAt,
    Optional<Instant> settledAt,
    Optional<Instant> failedAt,
    @JsonProperty("final") boolean isFinal,
    List<RedeemResource.HistoryEntry> history) {

  /** The asset's token: its CREATE2 address (final before deployment too). */
  public record Contract(String address, boolean autoDeployed) {}

  /** The stablecoin paid in, where the tokens go, and the settle transaction once settled. */
  public record Settlement(String currency, String chain, String wallet, Optional<String> txHash) {}

  /**
   * What came back to the owner: a settle's refund, or on a cancel the whole lock and gas deposit.
   */
  private static Optional<java.math.BigInteger> refund(OrderRow o) {
    return switch (o.status()) {
      case SETTLED -> o.payout();
      case CANCELLED ->
          o.terms()
              .map(
                  t ->
                      t.locked()
                          .add(
                              t.gasSponsor() == dev.lockstep.indexer.model.GasSponsor.DEVELOPER
                                  ? t.maxGas()
                                  : java.math.BigInteger.ZERO));
      case ARMED, QUEUED, ACTIVE -> Optional.empty();
    };
  }

  static MintResource of(
      OrderRow o,
      List<OrderEventRow> history,
      OrderState.View view,
      boolean autoDeployed,
      ChainNames chains) {
    boolean settled = o.status() == OrderStatus.SETTLED;
    return new MintResource(
        new OrderId(OrderSide.MINT, o.chainId(), o.orderId()).toString(),
        "mint",
        view.state(),
        OrderType.of(o),
        OrderType.limitOf(o),
        view.clearsAt(),
        view.reason(),
        view.failureDetail(),
        o.symbol(),
        OrderMoney.usdc(o.quantity()),
        chains.name(o.chainId()),
        o.chainId(),
        o.orderId(),
        settled ? o.grossNotional().map(OrderMoney::usdc) : Optional.empty(),
        OrderMoney.usdc(o.minNotional()),
        OrderMoney.platformFee(o),
        OrderMoney.developerFee(o),
        OrderMoney.cost(o),
        OrderMoney.gas(o),
        refund(o).map(OrderMoney::usdc),
        new Contract(o.token(), settled && autoDeployed),
        new Settlement(
            o.payoutSymbol(),
            chains.name(o.chainId()),
            o.destination(),
            settled ? o.closedTx() : Optional.empty()),
        o.owner(),
        o.createdTx(),
        o.createdAt(),
        settled ? o.closedAt() : Optional.empty(),
        o.status() == OrderStatus.CANCELLED ? o.closedAt() : Optional.empty(),
        o.isFinal(),
        history.stream()
            .map(
                h ->
                    new RedeemResource.HistoryEntry(
                        h.event(), h.status(), h.blockNumber(), h.txHash(), h.at()))
            .toList());
  }
}
