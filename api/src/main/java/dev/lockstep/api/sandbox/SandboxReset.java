package dev.lockstep.api.sandbox;

import dev.lockstep.api.Amounts;
import dev.lockstep.api.ChainNames;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.cache.TenantReads;
import dev.lockstep.api.customer.CustomerStore;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.api.order.OrderId;
import dev.lockstep.indexer.model.GasSponsor;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.TokenKind;
import dev.lockstep.indexer.store.BalanceRow;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.ports.Mode;
import dev.lockstep.ports.OrderDesk;
import dev.lockstep.ports.SettlementWallets;
import io.javalin.http.Context;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /v1/sandbox/reset} (reference platform-docs "Sandbox-only conveniences": "wipes your
 * sandbox state back to a clean slate"): for the caller's tenant, in this order,
 *
 * <ol>
 *   <li>cancels its open orders (those of the wallets it owns) that the broker has not filled, no
 *       fee, everything they locked going back (a filled one goes on to settle and is listed as
 *       such);
 *   <li>deletes, in one transaction, its customers and their attestations, its wallet links and
 *       challenges, its webhooks with their deliveries and attempts, its quotes and its
 *       Idempotency-Keys;
 *   <li>tops its settlement wallet back up to the opening grant (1,000,000 of every stablecoin on
 *       every chain), counting what the cancelled mints will refund as held.
 * </ol>
 *
 * Its API keys and the chain's history stay (orders already settled remain in the index). The
 * answer counts what was cleared. Sandbox keys only.
 */
public final class SandboxReset {
  private static final int PAGE = 100;

  private final Jdbi jdbi;
  private final TenantReads reads;
  private final IndexReader index;
  private final OrderDesk desk;
  private final SettlementWallets wallets;
  private final ChainNames chains;

  public SandboxReset(
      Jdbi jdbi,
      IndexReader index,
      OrderDesk desk,
      SettlementWallets wallets,
      ChainNames chains,
      TenantReads reads) {
    this.reads = reads;
    this.jdbi = jdbi;
    this.index = index;
    this.desk = desk;
    this.wallets = wallets;
    this.chains = chains;
  }

  /**
   * What a reset did.
   *
   * @param cleared rows deleted per kind
   * @param ordersCancelled the open orders whose cancel is under way
   * @param ordersSettling open orders the broker had already filled (they settle)
   * @param toppedUp the settlement wallet's stablecoins minted back up to the opening grant
   */
  public record Reset(
      String object,
      Map<String, Integer> cleared,
      List<String> ordersCancelled,
      List<String> ordersSettling,
      Optional<String> settlementWallet,
      List<TopUp> toppedUp) {}

  /** One stablecoin minted back to the settlement wallet. */
  public record TopUp(String chain, String currency, String amount, String txHash) {}

  public void reset(Context ctx) {
    var key = Authenticator.keyOf(ctx);
    if (key.mode() != Mode.TEST) {
      throw new ApiException(ErrorCode.SANDBOX_ONLY, "Only sandbox state can be reset");
    }
    String tenant = key.tenantId();
    List<String> cancelled = new ArrayList<>();
    List<String> settling = new ArrayList<>();
    // Stablecoin the cancels will refund, by chain and symbol: counted as held for the top-up.
    Map<String, BigInteger> refunding = new LinkedHashMap<>();
    for (OrderSide side : OrderSide.values()) {
      for (OrderRow o : openOrders(tenant, side)) {
        String id = new OrderId(side, o.chainId(), o.orderId()).toString();
        switch (desk.cancelOrder(o)) {
          case OrderDesk.CancelOutcome.Accepted a -> {
            cancelled.add(id);
            o.terms()
                .ifPresent(
                    t ->
                        refunding.merge(
                            o.chainId() + "/" + o.payoutSymbol(),
                            t.locked()
                                .add(
                                    t.gasSponsor() == GasSponsor.DEVELOPER
                                        ? t.maxGas()
                                        : BigInteger.ZERO),
                            BigInteger::add));
          }
          case OrderDesk.CancelOutcome.AlreadyFilled f -> settling.add(id);
        }
      }
    }
    Map<String, Integer> cleared;
    try {
      cleared = clear(tenant, ctx.header("Idempotency-Key"));
    } finally {
      reads.changed(tenant);
    }
    List<TopUp> topUps = new ArrayList<>();
    Optional<String> wallet = Optional.empty();
    if (wallets.configured()) {
      String w = wallets.ensureFunded(tenant);
      wallet = Optional.of(w);
      BigInteger grant =
          SettlementWallets.SANDBOX_GRANT_UNITS.multiply(BigInteger.TEN.pow(6)); // 6 decimals
      Map<String, BigInteger> held = new LinkedHashMap<>(refunding);
      for (BalanceRow b : index.balancesOf(w)) {
        if (b.kind() == TokenKind.STABLECOIN) {
          held.merge(b.chainId() + "/" + b.symbol(), b.amount(), BigInteger::add);
        }
      }
      for (long chainId : chains.byId().keySet().stream().sorted().toList()) {
        for (String currency : wallets.faucetCurrencies(chainId).orElse(List.of())) {
          BigInteger short_ =
              grant.subtract(held.getOrDefault(chainId + "/" + currency, BigInteger.ZERO));
          if (short_.signum() > 0) {
            String tx = wallets.faucet(tenant, currency, chainId, short_);
            topUps.add(new TopUp(chains.name(chainId), currency, Amounts.format(short_, 6), tx));
          }
        }
      }
    }
    ctx.json(new Reset("sandbox_reset", cleared, cancelled, settling, wallet, topUps));
  }

  private List<OrderRow> openOrders(String tenant, OrderSide side) {
    List<OrderRow> open = new ArrayList<>();
    Optional<long[]> cursor = Optional.empty();
    for (int page = 0; page < 50; page++) {
      List<OrderRow> rows =
          index.ordersOwnedBy(
              side,
              CustomerStore.walletOfTenant("o.owner"),
              Map.of("owner_tenant", tenant),
              PAGE,
              cursor,
              false);
      rows.stream().filter(OrderRow::isOpen).forEach(open::add);
      if (rows.size() < PAGE) {
        break;
      }
      OrderRow last = rows.getLast();
      cursor = Optional.of(new long[] {last.chainId(), last.orderId()});
    }
    return open;
  }

  /**
   * Deletes the tenant's API state in one transaction (but the Idempotency-Key of this very
   * request, which stores its answer); rows deleted per kind.
   */
  private Map<String, Integer> clear(String tenant, @org.jspecify.annotations.Nullable String own) {
    return jdbi.inTransaction(
        h -> {
          Map<String, Integer> n = new LinkedHashMap<>();
          n.put(
              "webhook_attempts",
              h.createUpdate(
                      "DELETE FROM api.webhook_attempts WHERE delivery_id IN"
                          + " (SELECT id FROM api.webhook_deliveries WHERE tenant_id = :t)")
                  .bind("t", tenant)
                  .execute());
          for (String table :
              List.of(
                  "webhook_deliveries",
                  "webhooks",
                  "wallet_links",
                  "wallet_challenges",
                  "quotes")) {
            n.put(
                table,
                h.createUpdate("DELETE FROM api." + table + " WHERE tenant_id = :t")
                    .bind("t", tenant)
                    .execute());
          }
          n.put(
              "idempotency_keys",
              h.createUpdate(
                      "DELETE FROM api.idempotency_keys WHERE tenant_id = :t"
                          + " AND key IS DISTINCT FROM :own")
                  .bind("t", tenant)
                  .bind("own", own)
                  .execute());
          n.put(
              "attestations",
              h.createUpdate(
                      "DELETE FROM api.attestations WHERE customer_id IN"
                          + " (SELECT id FROM api.customers WHERE tenant_id = :t)")
                  .bind("t", tenant)
                  .execute());
          n.put(
              "customers",
              h.createUpdate("DELETE FROM api.customers WHERE tenant_id = :t")
                  .bind("t", tenant)
                  .execute());
          return n;
        });
  }
}
