package dev.lockstep.api.redeem;

import dev.lockstep.api.ChainNames;
import dev.lockstep.api.ListPage;
import dev.lockstep.api.Pagination;
import dev.lockstep.api.Params;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.customer.CustomerStore;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.OrderStatus;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.ports.OrderDesk;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GET /v1/redeems/{id}, GET /v1/redeems[?wallet=], POST /v1/redeems/{id}/cancel. A tenant sees and
 * cancels only the redeems of its customers' wallets; any other redeem is answered exactly like a
 * missing one ({@code redeem_not_found}), so ids of other tenants reveal nothing.
 */
public final class RedeemRoutes {
  private final IndexReader index;
  private final OrderDesk orders;
  private final ChainNames chains;
  private final CustomerStore customers;

  public RedeemRoutes(
      IndexReader index, OrderDesk orders, ChainNames chains, CustomerStore customers) {
    this.index = index;
    this.orders = orders;
    this.chains = chains;
    this.customers = customers;
  }

  /** GET /v1/redeems/{id}. */
  public void get(Context ctx) {
    ctx.json(resource(find(ctx, ctx.pathParam("id"))));
  }

  /**
   * GET /v1/redeems[?wallet=0x...]: the wallet's redeems, or without {@code wallet} every redeem of
   * the tenant's customers' wallets; newest first, cursor-paginated.
   */
  public void list(Context ctx) {
    Optional<String> wallet = Params.optionalAddress(ctx, "wallet");
    Pagination page = Pagination.of(ctx);
    boolean newer = page.endingBefore().isPresent();
    String param = newer ? "ending_before" : "starting_after";
    Optional<long[]> cursor =
        page.startingAfter()
            .or(page::endingBefore)
            .map(
                s -> {
                  RedeemId id =
                      RedeemId.parse(s)
                          .orElseThrow(
                              () ->
                                  ApiException.invalidParam(
                                      param, "'" + param + "' must be a redeem id (rdm_...)"));
                  return new long[] {id.chainId(), id.orderId()};
                });
    String tenant = Authenticator.keyOf(ctx).tenantId();
    if (wallet.isPresent() && !customers.ownsWallet(tenant, wallet.get())) {
      ctx.json(ListPage.of(List.of(), false, Optional.empty()));
      return;
    }
    List<OrderRow> rows =
        new java.util.ArrayList<>(
            wallet.isPresent()
                ? index.ordersByOwner(
                    OrderSide.REDEEM, wallet.get(), page.limit() + 1, cursor, newer)
                : index.ordersOwnedBy(
                    OrderSide.REDEEM,
                    CustomerStore.walletOfTenant("o.owner"),
                    Map.of("owner_tenant", tenant),
                    page.limit() + 1,
                    cursor,
                    newer));
    boolean more = rows.size() > page.limit();
    if (more) {
      // The extra row is the one furthest from the cursor: last going older, first going newer.
      rows.remove(newer ? 0 : rows.size() - 1);
    }
    List<RedeemResource> data = rows.stream().map(this::resource).toList();
    Optional<String> next =
        more ? Optional.of(newer ? data.getFirst().id() : data.getLast().id()) : Optional.empty();
    ctx.json(ListPage.of(data, more, next));
  }

  /**
   * POST /v1/redeems/{id}/cancel: 202 with the redeem while the cancel is under way; 200 if it is
   * already cancelled; 409 {@code redeem_not_cancellable} once settled or once the broker leg
   * filled.
   */
  public void cancel(Context ctx) {
    OrderRow o = find(ctx, ctx.pathParam("id"));
    if (o.status() == OrderStatus.CANCELLED) {
      ctx.json(resource(o));
      return;
    }
    if (!o.isOpen()) {
      throw notCancellable(o, "Redeem is " + o.status().dbValue());
    }
    switch (orders.cancelRedeem(o)) {
      case OrderDesk.CancelOutcome.Accepted a -> ctx.status(202).json(resource(o));
      case OrderDesk.CancelOutcome.AlreadyFilled f ->
          throw notCancellable(o, "The broker has already offset this redeem; it is settling");
    }
  }

  private ApiException notCancellable(OrderRow o, String detail) {
    return new ApiException(
        ErrorCode.REDEEM_NOT_CANCELLABLE,
        detail,
        Map.of(
            "redeem_id",
            new RedeemId(o.chainId(), o.orderId()).toString(),
            "redeem_status",
            o.status().dbValue()));
  }

  private OrderRow find(Context ctx, String id) {
    String tenant = Authenticator.keyOf(ctx).tenantId();
    return RedeemId.parse(id)
        .flatMap(r -> index.order(r.chainId(), r.orderId()))
        .filter(o -> o.side() == OrderSide.REDEEM) // a mint's order id is no redeem
        .filter(o -> customers.ownsWallet(tenant, o.owner()))
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.REDEEM_NOT_FOUND,
                    "No redeem with id '" + id + "'",
                    Map.of("redeem_id", id)));
  }

  private RedeemResource resource(OrderRow o) {
    return RedeemResource.of(o, index.orderHistory(o.chainId(), o.orderId()), chains);
  }
}
