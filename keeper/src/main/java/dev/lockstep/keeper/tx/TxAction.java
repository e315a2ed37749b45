package dev.lockstep.keeper.tx;

import dev.lockstep.indexer.model.StoredEnum;

/**
 * What an intent does: the order-book calls the keeper makes, the settlement wallets' approvals and
 * orders, and the no-op that fills a nonce gap. Stored lowercase; the {@code action} tag of the
 * keeper's transaction metrics.
 */
public enum TxAction implements StoredEnum {
  /** {@code OrderBook.promote}: a QUEUED order becomes ACTIVE when its venue opens. */
  PROMOTE,
  /** {@code OrderBook.settle}: burn the locked tokens and pay out, at the broker's fill. */
  SETTLE,
  /** {@code OrderBook.cancel}: return the locked tokens. */
  CANCEL,
  /**
   * {@code OrderBook.trigger}: an ARMED trigger sell whose price the 30 s TWAP crossed becomes
   * ACTIVE (QUEUED out of session); an OCO leg's peer is cancelled with it.
   */
  TRIGGER,
  /**
   * {@code OrderBook.setSessionOpen}: new orders start ACTIVE (the book's venue is in session) or
   * QUEUED.
   */
  SET_SESSION,
  /**
   * {@code OrderBook.sweepDeveloperFees}: pay a recipient its developer fees held in the book's
   * escrow (the daily sweep, or one requested through the API).
   */
  SWEEP_FEES,
  /**
   * {@code AssetTokenFactory.setMintPaused}, sent by the pauser's key (not the keeper's): pause a
   * token's minting on a reconciliation break, resume it once an operator cleared the break.
   */
  SET_MINT_PAUSED,
  /**
   * {@code AssetTokenFactory.reportReserve}: relay the broker's signed custody of a token to its
   * proof-of-reserve feed (after a daily reconciliation, before mint settles the feed would
   * refuse).
   */
  REPORT_RESERVE,
  /** {@code OrderBook.ensureDeployed}: deploy an asset's token ahead of its first mint. */
  ENSURE_DEPLOYED,
  /** ERC-20 {@code approve(orderBook, max)} from a settlement wallet, before its first order. */
  APPROVE,
  /** {@code OrderBook.createMint} or {@code createRedeemWithTerms} from a settlement wallet. */
  CREATE_ORDER,
  /** A zero-value self-transfer filling a nonce gap. */
  NOOP
}
