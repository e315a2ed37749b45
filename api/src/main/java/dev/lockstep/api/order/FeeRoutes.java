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
 * failed order charges nothing); {@code settled_usdc}: swept to the destination. Sweeps are not
 * indexed yet (the daily sweep is a later issue), so {@code settled_usdc} stays 0 and a sweep made
 * directly on chain still shows as accrued.
 */
public final class FeeRoutes {
  private final IndexReader index;
  private final ChainNames chains;

  public FeeRoutes(IndexReader index, ChainNames chains) {
    this.index = index;
    this.chains = chains;
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
                        OrderMoney.usdc(java.math.BigInteger.ZERO),
                        r.orders()))
            .toList();
    ctx.json(Pagination.of(ctx).page(data, FeeBalance::id));
  }
}
