package dev.lockstep.api.order;

import dev.lockstep.api.ChainNames;
import dev.lockstep.api.Pagination;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.customer.CustomerStore;
import dev.lockstep.indexer.store.IndexReader;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/fees} (reference platform-docs "Developer fees — REST", {@code fees.balance()}):
 * the developer fees of the tenant's orders per destination, stablecoin and chain. {@code
 * accrued_usdc}: charged by settled orders and held in the order book's fee escrow; {@code
 * pending_usdc}: what the tenant's open orders will charge at their notional bound (an estimate; a
 * failed order charges nothing); {@code settled_usdc}: swept to the destination (the ledger's fee
 * sweeps). {@code POST /v1/fees/settle {minimum_usdc}} (default 10) sweeps every destination of the
 * tenant whose accrued balance is at least the minimum, once per sweep id; the keeper also sweeps
 * every escrow of at least 10 daily at 00:00 UTC. A sweep pays the destination its whole escrow in
 * the book (fees of any order naming it).
 */
public final class FeeRoutes {
  private final IndexReader index;
  private final ChainNames chains;

  private final dev.lockstep.ports.OrderDesk desk;

  public FeeRoutes(IndexReader index, ChainNames chains, dev.lockstep.ports.OrderDesk desk) {
    this.index = index;
    this.chains = chains;
    this.desk = desk;
  }

  /** {@code POST /v1/fees/settle}. */
  public record SettleRequest(
      java.math.@org.jspecify.annotations.Nullable BigDecimal minimumUsdc) {}

  /** One destination's sweep of a {@link Settlement}. */
  public record Sweep(
      String destination, String chain, long chainId, String currency, String amountUsdc) {}

  /**
   * A fee settlement: the sweeps it started ({@code settled_count} of them, {@code total_usdc} at
   * the accrued balances), each paid on chain by one keeper transaction; {@code fee.settled}
   * follows each once indexed.
   */
  public record Settlement(
      String id,
      String object,
      String minimumUsdc,
      int settledCount,
      String totalUsdc,
      List<Sweep> sweeps) {}

  /** {@code POST /v1/fees/settle}: 202 with the sweeps started. */
  public void settle(Context ctx) {
    SettleRequest r = dev.lockstep.api.RequestBodies.read(ctx, SettleRequest.class);
    java.math.BigDecimal minimum =
        java.util.Optional.ofNullable(r.minimumUsdc()).orElse(java.math.BigDecimal.TEN);
    if (minimum.signum() < 0 || minimum.stripTrailingZeros().scale() > 6) {
      throw dev.lockstep.api.error.ApiException.invalidParam(
          "minimum_usdc", "'minimum_usdc' must be at least 0 with at most 6 decimals");
    }
    java.math.BigInteger floor = minimum.movePointRight(6).toBigIntegerExact();
    String tenant = Authenticator.keyOf(ctx).tenantId();
    String key = ctx.header("Idempotency-Key");
    String id =
        key == null
            ? dev.lockstep.api.Ids.random("swp_", 20)
            : "swp_" + dev.lockstep.api.Ids.digestHex(tenant + ":" + key, 10);
    List<Sweep> sweeps = new java.util.ArrayList<>();
    java.math.BigInteger total = java.math.BigInteger.ZERO;
    for (var row :
        index.developerFees(
            CustomerStore.walletOfTenant("o.owner"), Map.of("owner_tenant", tenant))) {
      java.math.BigInteger accrued = row.accrued();
      if (accrued.signum() <= 0 || accrued.compareTo(floor) < 0) {
        continue;
      }
      desk.sweepFees(row.chainId(), row.destination(), row.currencyAddress(), id);
      sweeps.add(
          new Sweep(
              row.destination(),
              chains.name(row.chainId()),
              row.chainId(),
              row.currency(),
              OrderMoney.usdc(accrued)));
      total = total.add(accrued);
    }
    ctx.status(202)
        .json(
            new Settlement(
                id,
                "fee_settlement",
                minimum.setScale(6, java.math.RoundingMode.UNNECESSARY).toPlainString(),
                sweeps.size(),
                OrderMoney.usdc(total),
                sweeps));
  }

  /** One destination's developer fees in one stablecoin on one chain. */
  public record FeeBalance(
      String id,
      String object,
      String destination,
      String chain,
      long chainId,
      String currency,
      String accruedUsdc,
      String pendingUsdc,
      String settledUsdc,
      long orders) {}

  /** {@code GET /v1/fees}. */
  public void balance(Context ctx) {
    String tenant = Authenticator.keyOf(ctx).tenantId();
    List<FeeBalance> data =
        index
            .developerFees(CustomerStore.walletOfTenant("o.owner"), Map.of("owner_tenant", tenant))
            .stream()
            .map(
                r ->
                    new FeeBalance(
                        "fee_" + r.chainId() + "_" + r.destination() + "_" + r.currency(),
                        "fee_balance",
                        r.destination(),
                        chains.name(r.chainId()),
                        r.chainId(),
                        r.currency(),
                        OrderMoney.usdc(r.accrued()),
                        OrderMoney.usdc(r.pending()),
                        OrderMoney.usdc(r.settled()),
                        r.orders()))
            .toList();
    ctx.json(Pagination.of(ctx).page(data, FeeBalance::id));
  }
}
