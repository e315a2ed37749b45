package dev.lockstep.api.order;

import dev.lockstep.api.ListPage;
import dev.lockstep.api.Pagination;
import dev.lockstep.api.Params;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.customer.CustomerStore;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.ports.OrderDesk;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The read side shared by mints and redeems: one order by id, and cursor-paginated lists, tenant
 * wide or of one wallet. A tenant sees only orders owned by its wallets (its customers' and its
 * settlement wallet); any other id answers exactly like a missing one ({@code mint_not_found} /
 * {@code redeem_not_found}), so ids of other tenants reveal nothing. Each page asks the keeper for
 * the broker legs of its orders once per chain.
 */
final class OrderReads {
  private final IndexReader index;
  private final OrderDesk desk;
  private final CustomerStore customers;

  OrderReads(IndexReader index, OrderDesk desk, CustomerStore customers) {
    this.index = index;
    this.desk = desk;
    this.customers = customers;
  }

  /** The not-found code of {@code side}'s resource. */
  private static ErrorCode notFound(OrderSide side) {
    return side == OrderSide.MINT ? ErrorCode.MINT_NOT_FOUND : ErrorCode.REDEEM_NOT_FOUND;
  }

  /**
   * The tenant's order {@code id} on {@code side}.
   *
   * @throws ApiException the side's not-found code otherwise
   */
  OrderRow find(Context ctx, OrderSide side, String id) {
    String tenant = Authenticator.keyOf(ctx).tenantId();
    return OrderId.parse(side, id)
        .flatMap(r -> index.order(r.chainId(), r.orderId()))
        .filter(o -> o.side() == side)
        .filter(o -> customers.ownsWallet(tenant, o.owner()))
        .orElseThrow(
            () ->
                new ApiException(
                    notFound(side),
                    "No " + side.dbValue() + " with id '" + id + "'",
                    Map.of(side.dbValue() + "_id", id)));
  }

  /** Whether the caller's tenant owns {@code o} (its owner is one of the tenant's wallets). */
  /**
   * The asset token a redeem of {@code q} locks, on the quote's chain.
   *
   * @throws ApiException {@code position_not_found} when the asset has no token there
   */
  static dev.lockstep.indexer.store.TokenRow assetToken(IndexReader index, Quote q) {
    String ticker = q.asset();
    return index.tokens().stream()
        .filter(
            t ->
                t.kind() == dev.lockstep.indexer.model.TokenKind.ASSET
                    && t.chainId() == q.chainId()
                    && t.symbol().equals(ticker))
        .findFirst()
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.POSITION_NOT_FOUND,
                    "No " + ticker + " token on " + q.chain() + " to redeem",
                    java.util.Map.of("asset", ticker, "chain", q.chain())));
  }

  boolean owns(Context ctx, OrderRow o) {
    return customers.ownsWallet(Authenticator.keyOf(ctx).tenantId(), o.owner());
  }

  /** The API status of one order. */
  OrderState.View view(OrderRow o) {
    return OrderState.of(
        o, Optional.ofNullable(desk.progress(o.chainId(), List.of(o.orderId())).get(o.orderId())));
  }

  /**
   * GET of {@code side}'s list: {@code ?wallet=} one of the tenant's wallets, else every wallet of
   * the tenant; newest first; the last page says {@code "next_cursor": null}.
   */
  <T> void list(
      Context ctx,
      OrderSide side,
      BiFunction<OrderRow, OrderState.View, T> render,
      java.util.function.Function<T, String> idOf) {
    Optional<String> wallet = Params.optionalAddress(ctx, "wallet");
    Pagination page = Pagination.of(ctx);
    boolean newer = page.endingBefore().isPresent();
    String param = newer ? "ending_before" : "starting_after";
    String prefix = OrderId.prefix(side);
    Optional<long[]> cursor =
        page.startingAfter()
            .or(page::endingBefore)
            .map(
                s -> {
                  OrderId id =
                      OrderId.parse(side, s)
                          .orElseThrow(
                              () ->
                                  ApiException.invalidParam(
                                      param,
                                      "'"
                                          + param
                                          + "' must be a "
                                          + side.dbValue()
                                          + " id ("
                                          + prefix
                                          + "_...)"));
                  return new long[] {id.chainId(), id.orderId()};
                });
    String tenant = Authenticator.keyOf(ctx).tenantId();
    if (wallet.isPresent() && !customers.ownsWallet(tenant, wallet.get())) {
      ctx.json(ListPage.of(List.of(), false, Optional.empty()));
      return;
    }
    List<OrderRow> rows =
        new ArrayList<>(
            wallet.isPresent()
                ? index.ordersByOwner(side, wallet.get(), page.limit() + 1, cursor, newer)
                : index.ordersOwnedBy(
                    side,
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
    Map<Long, Map<Long, OrderDesk.BrokerProgress>> legs = new java.util.HashMap<>();
    rows.stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                OrderRow::chainId,
                java.util.stream.Collectors.mapping(
                    OrderRow::orderId, java.util.stream.Collectors.toList())))
        .forEach((chain, ids) -> legs.put(chain, desk.progress(chain, ids)));
    List<T> data =
        rows.stream()
            .map(
                o ->
                    render.apply(
                        o,
                        OrderState.of(
                            o,
                            Optional.ofNullable(
                                legs.getOrDefault(o.chainId(), Map.of()).get(o.orderId())))))
            .toList();
    Optional<String> next =
        more ? Optional.of(idOf.apply(newer ? data.getFirst() : data.getLast())) : Optional.empty();
    ctx.json(ListPage.of(data, more, next));
  }
}
