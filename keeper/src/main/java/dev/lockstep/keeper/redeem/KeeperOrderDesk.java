package dev.lockstep.keeper.redeem;

import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.keeper.broker.BrokerLeg;
import dev.lockstep.keeper.broker.LegStatus;
import dev.lockstep.keeper.broker.PrimeBroker;
import dev.lockstep.keeper.price.GasCost;
import dev.lockstep.keeper.tx.OrderBookCalls;
import dev.lockstep.keeper.tx.TxAction;
import dev.lockstep.keeper.tx.TxEngine;
import dev.lockstep.keeper.wallet.WalletOrders;
import dev.lockstep.ports.OrderDesk;
import java.time.Clock;

/**
 * The keeper's {@link OrderDesk}. Orders from settlement wallets are {@link WalletOrders}'. A
 * redeem cancel (POST /v1/redeems/{id}/cancel) cancels the broker offset if it has not filled, then
 * wakes the keeper, which cancels the order on chain and so returns the locked tokens. Once the leg
 * has filled the redeem is settling and can no longer be cancelled. Idempotent: asking twice has
 * the effect of asking once. Thread-safe when the broker is.
 */
public final class KeeperOrderDesk implements OrderDesk {
  /** What deploys tokens on one chain: the keeper's engine there, its order book and factory. */
  public record Deployer(
      TxEngine engine,
      String orderBook,
      dev.lockstep.contracts.generated.AssetTokenFactory factory) {}

  private final PrimeBroker broker;
  private final Runnable wakeKeeper;
  private final java.util.Map<Long, Deployer> deployers;
  private final java.util.Optional<WalletOrders> walletOrders;
  private final GasCost gasCost;
  private final Clock clock;

  /**
   * @param deployers per chain id (chains with an order book the daemon keeps)
   * @param walletOrders places orders from the settlement wallets, when the daemon holds them
   */
  public KeeperOrderDesk(
      PrimeBroker broker,
      Runnable wakeKeeper,
      java.util.Map<Long, Deployer> deployers,
      java.util.Optional<WalletOrders> walletOrders,
      GasCost gasCost,
      Clock clock) {
    this.broker = broker;
    this.wakeKeeper = wakeKeeper;
    this.deployers = java.util.Map.copyOf(deployers);
    this.walletOrders = walletOrders;
    this.gasCost = gasCost;
    this.clock = clock;
  }

  @Override
  public SigningState signingState(long chainId, String owner, String lockedToken) {
    return walletOrders
        .orElseThrow(() -> new IllegalStateException("this daemon holds no settlement wallets"))
        .signingState(chainId, owner, lockedToken);
  }

  @Override
  public Placement place(PlaceOrder order, java.time.Duration wait) {
    return walletOrders
        .orElseThrow(() -> new IllegalStateException("no settlement wallets configured"))
        .place(order, wait);
  }

  @Override
  public java.util.Map<Long, BrokerProgress> progress(
      long chainId, java.util.Collection<Long> orderIds) {
    java.util.Map<Long, BrokerProgress> out = new java.util.HashMap<>();
    broker
        .legsOf(chainId, orderIds)
        .forEach(
            (id, leg) ->
                out.put(
                    id,
                    new BrokerProgress(
                        switch (leg.status()) {
                          case PENDING -> LegState.ROUTED;
                          case FILLED -> LegState.FILLED;
                          case FAILED -> LegState.FAILED;
                          case CANCELLED -> LegState.CANCELLED;
                        },
                        leg.failureReason(),
                        leg.status() == LegStatus.FILLED
                            ? leg.clearsAt()
                            : java.util.Optional.empty())));
    return out;
  }

  @Override
  public String sweepFees(long chainId, String recipient, String currency, String sweepId) {
    Deployer d = deployers.get(chainId);
    if (d == null) {
      throw new IllegalArgumentException("no order book kept on chain " + chainId);
    }
    String key =
        dev.lockstep.keeper.fees.FeeSweeper.sweep(
            d.engine(), d.orderBook(), chainId, recipient, currency, sweepId);
    wakeKeeper.run();
    return key;
  }

  @Override
  public java.util.List<Fill> fills(java.time.Instant from, java.time.Instant to, int limit) {
    return broker.fills(from, to, limit);
  }

  @Override
  public java.math.BigInteger settleGasEstimate(long chainId, OrderSide side, boolean relayed) {
    return gasCost.cost(
        chainId,
        dev.lockstep.keeper.price.GasCost.settleGas(side)
            + (relayed ? dev.lockstep.keeper.price.GasCost.RELAY_GAS : 0));
  }

  /**
   * Reads the factory's prediction and registry at the latest block; when the token is missing,
   * enqueues {@code OrderBook.ensureDeployed(ticker)} once (idempotency key {@code
   * ensure_deployed:<chain>:<ticker>}) and wakes the keeper to send it.
   */
  @Override
  public TokenDeployment ensureDeployed(long chainId, String ticker) {
    Deployer d = deployers.get(chainId);
    if (d == null) {
      throw new IllegalArgumentException("no order book kept on chain " + chainId);
    }
    try {
      String predicted = d.factory().predictAddress(ticker).send().toLowerCase();
      boolean deployed = !d.factory().tokenOf(ticker).send().equals("0x" + "0".repeat(40));
      if (!deployed) {
        d.engine()
            .submit(
                "ensure_deployed:" + chainId + ":" + ticker,
                d.orderBook(),
                OrderBookCalls.ensureDeployed(ticker),
                TxAction.ENSURE_DEPLOYED,
                java.util.OptionalLong.empty());
        wakeKeeper.run();
      }
      return new TokenDeployment(predicted, deployed);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(
          "reading the factory on chain " + chainId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public CancelOutcome cancelOrder(OrderRow order) {
    if (!order.isOpen()) {
      throw new IllegalArgumentException(
          "order " + order.orderId() + " is " + order.status().dbValue());
    }
    BrokerLeg leg =
        broker.cancelOffset(
            order.chainId(), order.orderId(), order.symbol(), order.quantity(), clock.instant());
    if (leg.status() == LegStatus.FILLED) {
      return new CancelOutcome.AlreadyFilled();
    }
    wakeKeeper.run();
    return new CancelOutcome.Accepted();
  }
}
