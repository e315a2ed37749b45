package dev.lockstep.keeper.broker;

import dev.lockstep.indexer.model.StoredEnum;

/** Where the broker's offset of one order stands (SPEC "Redeem": the broker leg). */
public enum LegStatus implements StoredEnum {
  /** Requested; the fill or failure has not arrived. */
  PENDING,
  /** Filled: the gross notional is known and the order can settle. */
  FILLED,
  /** The broker could not fill; the order is cancelled and its tokens returned. */
  FAILED,
  /** Cancelled before it filled (an integrator's cancel); the order is cancelled. */
  CANCELLED
}
