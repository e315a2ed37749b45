package dev.lockstep.ports;

import dev.lockstep.indexer.store.OrderRow;

/**
 * What the API asks of the keeper side about orders: the cancellation of an open redeem ({@code
 * POST /v1/redeems/{id}/cancel}, reference platform-docs "Redeem") and a token deployed ahead of
 * its first mint; placing orders comes here next. Implemented by the keeper, wired by the daemon,
 * so that {@code api} never imports {@code keeper}. Implementations are thread-safe and idempotent
 * per order.
 */
public interface OrderDesk {
  /** The answer to a cancel request. */
  sealed interface CancelOutcome {
    /**
     * The cancel is under way; the order turns {@code cancelled} once the keeper's tx is indexed.
     */
    record Accepted() implements CancelOutcome {}

    /** The broker leg already filled: too late to cancel, the redeem will settle. */
    record AlreadyFilled() implements CancelOutcome {}
  }

  /**
   * Requests cancellation of {@code order}, which must be open (QUEUED or ACTIVE). Asking twice has
   * the effect of asking once.
   *
   * @throws IllegalArgumentException if the order is already final
   */
  CancelOutcome cancelRedeem(OrderRow order);

  /**
   * The token of asset {@code ticker} on chain {@code chainId}, deployed ahead of its first mint
   * (reference platform-docs "Auto-deploy on first mint": {@code ensure_deployed}).
   *
   * @param address the token's address, the factory's CREATE2 prediction (the same before and after
   *     deployment)
   * @param deployed whether the token exists on chain now
   */
  record TokenDeployment(String address, boolean deployed) {}

  /**
   * Has the keeper deploy the token of {@code ticker} on {@code chainId} if it is missing; asking
   * again while the deployment is under way, or after, does nothing more.
   *
   * @throws IllegalArgumentException if the chain has no order book this daemon keeps
   */
  TokenDeployment ensureDeployed(long chainId, String ticker);
}
