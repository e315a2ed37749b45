package dev.lockstep.api.redeem;

import dev.lockstep.api.ChainNames;
import dev.lockstep.api.ListPage;
import dev.lockstep.api.Params;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.keeper.redeem.RedeemCancellation;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** GET /v1/redeems/{id}, GET /v1/redeems?wallet=, POST /v1/redeems/{id}/cancel. */
public final class RedeemRoutes {
  private final IndexReader index;
  private final RedeemCancellation cancellation;
  private final ChainNames chains;

  public RedeemRoutes(IndexReader index, RedeemCancellation cancellation, ChainNames chains) {
    this.index = index;
    this.cancellation = cancellation;
    this.chains = chains;
  }

  /** GET /v1/redeems/{id}. */
  public void get(Context ctx) {
    ctx.json(resource(find(ctx.pathParam("id"))));
  }

  /** GET /v1/redeems?wallet=0x...: the wallet's redeems, newest first, cursor-paginated. */
  public void list(Context ctx) {
    String wallet = Params.address(ctx, "wallet");
    int limit = Params.limit(ctx);
    Optional<long[]> after = Optional.ofNullable(ctx.queryParam("starting_after")).map(s -> {
      RedeemId id = RedeemId.parse(s).orElseThrow(() ->
          ApiException.invalidParam("starting_after", "'starting_after' must be a redeem id (rdm_...)"));
      return new long[] {id.chainId(), id.orderId()};
    });
    List<OrderRow> rows = index.ordersByOwner(wallet, limit + 1, after);
    boolean more = rows.size() > limit;
    List<RedeemResource> data = rows.stream().limit(limit).map(this::resource).toList();
    ctx.json(ListPage.of(data, more, more ? Optional.of(data.getLast().id()) : Optional.empty()));
  }

  /**
   * POST /v1/redeems/{id}/cancel: 202 with the redeem while the cancel is under way; 200 if it is
   * already cancelled; 409 {@code redeem_not_cancellable} once settled or once the broker leg filled.
   */
  public void cancel(Context ctx) {
    OrderRow o = find(ctx.pathParam("id"));
    if (o.status().equals("cancelled")) {
      ctx.json(resource(o));
      return;
    }
    if (!o.isOpen()) {
      throw notCancellable(o, "Redeem is " + o.status());
    }
    switch (cancellation.request(o)) {
      case RedeemCancellation.Result.Accepted a -> ctx.status(202).json(resource(o));
      case RedeemCancellation.Result.AlreadyFilled f ->
          throw notCancellable(o, "The broker has already offset this redeem; it is settling");
    }
  }

  private ApiException notCancellable(OrderRow o, String detail) {
    return new ApiException(ErrorCode.REDEEM_NOT_CANCELLABLE, detail,
        Map.of("redeem_id", new RedeemId(o.chainId(), o.orderId()).toString(), "redeem_status", o.status()));
  }

  private OrderRow find(String id) {
    return RedeemId.parse(id).flatMap(r -> index.order(r.chainId(), r.orderId()))
        .orElseThrow(() -> new ApiException(ErrorCode.REDEEM_NOT_FOUND, "No redeem with id '" + id + "'",
            Map.of("redeem_id", id)));
  }

  private RedeemResource resource(OrderRow o) {
    return RedeemResource.of(o, index.orderHistory(o.chainId(), o.orderId()), chains);
  }
}
