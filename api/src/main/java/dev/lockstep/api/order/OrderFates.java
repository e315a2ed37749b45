package dev.lockstep.api.order;

import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.ports.OrderDesk;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * Names how a closed order ended for the event stream, as the resources do ({@link OrderState}):
 * the indexer knows only that an order was cancelled on chain; the broker leg says why. A redeem
 * cancelled because the broker rejected it (or its fill fell outside its bound) is published as
 * {@code redeem.failed}, one cancelled on request as {@code redeem.cancelled}; a mint cancelled on
 * request is {@code mint.cancelled}, else {@code mint.failed}. Failed ones carry {@code
 * failure_reason} (and {@code failure_detail} when the broker gave words). Thread-safe.
 */
public final class OrderFates {
  private final IndexReader index;
  private final OrderDesk desk;

  public OrderFates(IndexReader index, OrderDesk desk) {
    this.index = index;
    this.desk = desk;
  }

  /**
   * The published type of outbox event {@code type} about order {@code data.order_id} on {@code
   * chainId}; adds the failure fields to {@code data}. Other events keep their type.
   */
  public String typeOf(String type, long chainId, ObjectNode data) {
    if (!(type.equals("redeem.cancelled") || type.equals("mint.failed")) || !data.has("order_id")) {
      return type;
    }
    long orderId = data.get("order_id").asLong();
    Optional<OrderRow> o = index.order(chainId, orderId);
    if (o.isEmpty()) {
      return type;
    }
    OrderState.View v =
        OrderState.of(
            o.get(), Optional.ofNullable(desk.progress(chainId, List.of(orderId)).get(orderId)));
    String family = type.substring(0, type.indexOf('.'));
    if (v.state() == OrderState.CANCELLED) {
      return family + ".cancelled";
    }
    if (v.state() != OrderState.FAILED) {
      return type; // undone by a reorg since: as the indexer named it
    }
    v.reason().ifPresent(r -> data.put("failure_reason", r.dbValue()));
    v.failureDetail().ifPresent(d -> data.put("failure_detail", d));
    return family + ".failed";
  }
}
