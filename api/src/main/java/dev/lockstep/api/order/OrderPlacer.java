package dev.lockstep.api.order;

import dev.lockstep.api.Amounts;
import dev.lockstep.api.Ids;
import dev.lockstep.api.auth.ApiKey;
import dev.lockstep.api.auth.ApiKeys;
import dev.lockstep.api.customer.CustomerStore;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.api.idempotency.Idempotency;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.ports.OrderDesk;
import dev.lockstep.ports.OrderDesk.Placement;
import dev.lockstep.ports.SettlementWallets;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Places an API order from the tenant's settlement wallet and waits until it is on chain and
 * indexed, so the answer carries the order's {@code mnt_}/{@code rdm_} id, lock tx hash and status
 * (the reference's "the call returns the moment Flo accepts" it).
 *
 * <p>The placement key is {@code api:<tenant>:<sha256 of the Idempotency-Key>} (a random one
 * without the header), so a retry with the same Idempotency-Key continues the same placement and
 * never sends a second order. Answers: {@code insufficient_funds} / {@code insufficient_position}
 * (422, from the wallet's balance at the chain's latest block; nothing sent), {@code order_refused}
 * (422, the order book's custom error; nothing taken), {@code order_pending} (503 with {@code
 * Retry-After}: the transaction is not mined or indexed within {@link #WAIT}; the 5xx frees the
 * Idempotency-Key and the retry picks the placement up where it is).
 */
final class OrderPlacer {
  /** How long a POST waits for its order to be mined and indexed before answering pending. */
  static final Duration WAIT = Duration.ofSeconds(25);

  private static final Duration POLL = Duration.ofMillis(100);

  private final OrderDesk desk;
  private final SettlementWallets wallets;
  private final CustomerStore customers;
  private final IndexReader index;
  private final Clock clock;

  private final MarketGate market;
  private final dev.lockstep.ports.Reconciliation reconciliation;

  OrderPlacer(
      OrderDesk desk,
      SettlementWallets wallets,
      CustomerStore customers,
      IndexReader index,
      MarketGate market,
      dev.lockstep.ports.Reconciliation reconciliation,
      Clock clock) {
    this.reconciliation = reconciliation;
    this.market = market;
    this.desk = desk;
    this.wallets = wallets;
    this.customers = customers;
    this.index = index;
    this.clock = clock;
  }

  /**
   * The tenant's settlement wallet, recorded as the tenant's (and, in the sandbox, granted its
   * opening balance) before its first use.
   */
  private String settlementWallet(ApiKey key) {
    if (!wallets.configured()) {
      throw new ApiException(
          ErrorCode.SETTLEMENT_WALLETS_NOT_CONFIGURED, "This daemon holds no settlement wallets");
    }
    String wallet = wallets.ensureFunded(key.tenantId());
    customers.recordSettlementWallet(key.tenantId(), key.mode(), wallet);
    return wallet;
  }

  /** The price condition of an order request, checked ({@link MarketGate#condition}). */
  Optional<OrderDesk.OrderCondition> condition(
      dev.lockstep.indexer.model.OrderSide side,
      @org.jspecify.annotations.Nullable String orderType,
      java.math.@org.jspecify.annotations.Nullable BigDecimal limitPrice,
      java.math.@org.jspecify.annotations.Nullable BigDecimal stopPrice,
      java.math.@org.jspecify.annotations.Nullable BigDecimal takeProfitPrice,
      @org.jspecify.annotations.Nullable String goodTill,
      boolean signed) {
    return market.condition(
        side, orderType, limitPrice, stopPrice, takeProfitPrice, goodTill, signed);
  }

  /**
   * Places the order {@code q} prices from the tenant's settlement wallet, tokens or proceeds going
   * to {@code destination} (default: the settlement wallet).
   *
   * @param assetToken the asset's token on the quote's chain (a redeem's; a mint's may not exist)
   * @return the order as indexed
   */
  OrderRow place(
      Context ctx,
      ApiKey key,
      Quote q,
      Optional<String> destination,
      Optional<String> assetToken,
      Optional<OrderDesk.SignedIntent> intent,
      Optional<OrderDesk.OrderCondition> condition) {
    market.checkSession(q.asset());
    if (q.side() == dev.lockstep.indexer.model.OrderSide.MINT) {
      checkNotPaused(q);
    }
    String wallet = settlementWallet(key);
    Instant deadline = clock.instant().plus(WAIT);
    OrderDesk.PlaceOrder order =
        new OrderDesk.PlaceOrder(
            placementKey(ctx, key),
            key.tenantId(),
            q.side(),
            q.chainId(),
            q.asset(),
            assetToken,
            q.quantityUnits(),
            q.currencyAddress(),
            q.boundUnits(),
            destination.orElse(wallet),
            q.terms(),
            intent,
            condition);
    Placement p = desk.place(order, WAIT);
    return switch (p) {
      case Placement.Placed placed -> indexed(ctx, q, placed, deadline);
      case Placement.Pending pending -> throw pending(ctx, q, pending.txHash());
      case Placement.Refused refused ->
          throw new ApiException(
              ErrorCode.ORDER_REFUSED,
              "The order book refused the order: " + refused.detail(),
              Map.of("reason", refused.error()));
      case Placement.Guarded g -> throw guarded(ctx, q, g);
      case Placement.Short s ->
          throw shortOf(
              q, s, intent.map(i -> "The wallet " + i.owner()).orElse("The settlement wallet"));
    };
  }

  /**
   * Refuses a mint of a token whose minting a reconciliation break paused on the quote's chain
   * ({@code 409 mint_paused_reconciliation}, reference platform-docs "Reconciliation reports");
   * redeems are never paused.
   */
  private void checkNotPaused(Quote q) {
    reconciliation
        .openBreak(q.chainId(), q.asset())
        .ifPresent(
            b -> {
              Map<String, Object> fields = new LinkedHashMap<>();
              fields.put("token", b.token());
              fields.put("chain", q.chain());
              fields.put("break_date", b.date().toString());
              fields.put("diff", dev.lockstep.api.Amounts.format(b.diff(), 6));
              fields.put("diff_usdc", b.diffUsdc().toPlainString());
              throw new ApiException(
                  ErrorCode.MINT_PAUSED_RECONCILIATION,
                  "Minting "
                      + b.token()
                      + " on "
                      + q.chain()
                      + " is paused by the reconciliation break of "
                      + b.date()
                      + " until operations clear it; redeems are not paused",
                  fields);
            });
  }

  /**
   * {@code 422 guardrail_triggered} (reference platform-docs "Errors"): the breaker, its value and
   * the window's with this order (USDC), and when a retry may pass ({@code Retry-After} too).
   */
  private static ApiException guarded(Context ctx, Quote q, Placement.Guarded g) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("limit", g.limit());
    fields.put("limit_value", Amounts.format(g.limitValue(), 6));
    fields.put("current_value", Amounts.format(g.currentValue(), 6));
    fields.put("retry_after_seconds", g.retryAfterSeconds());
    if (g.retryAfterSeconds() > 0) {
      ctx.header("Retry-After", Long.toString(g.retryAfterSeconds()));
    }
    return new ApiException(
        ErrorCode.GUARDRAIL_TRIGGERED,
        "The "
            + q.side().dbValue()
            + " would exceed "
            + g.limit()
            + " on "
            + q.chain()
            + " ("
            + Amounts.format(g.currentValue(), 6)
            + " against "
            + Amounts.format(g.limitValue(), 6)
            + " USDC); nothing was sent",
        fields);
  }

  private ApiException shortOf(Quote q, Placement.Short s, String payer) {
    boolean stablecoin = s.token().equalsIgnoreCase(q.currencyAddress());
    String what = stablecoin ? q.currency() : q.asset();
    String unit = stablecoin ? "usdc" : "quantity";
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(stablecoin ? "currency" : "asset", what);
    fields.put("required_" + unit, Amounts.format(s.required(), 6));
    fields.put("available_" + unit, Amounts.format(s.available(), 6));
    fields.put("shortfall_" + unit, Amounts.format(s.required().subtract(s.available()), 6));
    return new ApiException(
        stablecoin ? ErrorCode.INSUFFICIENT_FUNDS : ErrorCode.INSUFFICIENT_POSITION,
        payer
            + " holds "
            + Amounts.format(s.available(), 6)
            + " "
            + what
            + " on "
            + q.chain()
            + "; the "
            + q.side().dbValue()
            + " needs "
            + Amounts.format(s.required(), 6),
        fields);
  }

  /** Waits for the indexer to commit the order created by {@code placed}. */
  private OrderRow indexed(Context ctx, Quote q, Placement.Placed placed, Instant deadline) {
    while (true) {
      Optional<OrderRow> row =
          index
              .order(q.chainId(), placed.orderId())
              .filter(o -> o.createdTx().equalsIgnoreCase(placed.txHash()));
      if (row.isPresent()) {
        return row.get();
      }
      if (!clock.instant().isBefore(deadline)) {
        throw pending(ctx, q, Optional.of(placed.txHash()));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw pending(ctx, q, Optional.of(placed.txHash()));
      }
    }
  }

  private static ApiException pending(Context ctx, Quote q, Optional<String> txHash) {
    ctx.header("Retry-After", "2");
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("chain", q.chain());
    txHash.ifPresent(h -> fields.put("tx_hash", h));
    fields.put("retry_after_seconds", 2);
    return new ApiException(
        ErrorCode.ORDER_PENDING,
        "The "
            + q.side().dbValue()
            + "'s transaction is not on chain yet; retry with the same Idempotency-Key",
        fields);
  }

  private static String placementKey(Context ctx, ApiKey key) {
    String header = ctx.header(Idempotency.HEADER);
    String suffix = header == null ? Ids.random("r", 24) : ApiKeys.sha256(header);
    return "api:" + key.mode().dbValue() + ":" + key.tenantId() + ":" + suffix;
  }
}
