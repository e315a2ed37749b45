package dev.lockstep.indexer.store;

import dev.lockstep.indexer.model.OrderStatus;
import java.time.Instant;

/**
 * One lifecycle event of an order, in chain order.
 *
 * @param event {@code created}, {@code promoted}, {@code settled} or {@code cancelled}
 * @param status the order's status after the event
 */
public record OrderEventRow(
    String event, OrderStatus status, long blockNumber, String txHash, Instant at) {}
