package dev.lockstep.api.order;

import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.ports.OrderDesk;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code POST /v1/orders/{id}/cancel}: the one cancel endpoint for any open order, a mint ({@code
 * mnt_}) or a redeem ({@code rdm_}), market or limit, no fee (reference redeem-flow "Cancel any
 * open order with a single endpoint, no fee"): the broker's leg is cancelled before it fills and
 * the keeper cancels the order on chain, returning everything it locked. 202 with the order's
 * resource while under way, 200 once cancelled, 409 {@code order_not_cancellable} once settled or
 * filled, 404 {@code order_not_found} for an id that is neither (and the side's own code for an
 * unknown order of a side).
 */
public final class OrderCancelRoutes {
  private final OrderReads reads;
  private final OrderDesk desk;
  private final MintRoutes mints;
  private final RedeemRoutes redeems;

  OrderCancelRoutes(OrderReads reads, OrderDesk desk, MintRoutes mints, RedeemRoutes redeems) {
    this.reads = reads;
    this.desk = desk;
    this.mints = mints;
    this.redeems = redeems;
  }

  public void cancel(Context ctx) {
    String id = ctx.pathParam("id");
    OrderSide side;
    if (id.startsWith(OrderId.prefix(OrderSide.MINT) + "_")) {
      side = OrderSide.MINT;
    } else if (id.startsWith(OrderId.prefix(OrderSide.REDEEM) + "_")) {
      side = OrderSide.REDEEM;
    } else {
      throw new ApiException(
          ErrorCode.ORDER_NOT_FOUND, "No order '" + id + "'", Map.of("order_id", id));
    }
    OrderRow o = reads.find(ctx, side, id);
    RedeemRoutes.cancel(
        ctx,
        o,
        desk,
        ErrorCode.ORDER_NOT_CANCELLABLE,
        side == OrderSide.MINT ? mints::render : redeems::render);
  }
}
