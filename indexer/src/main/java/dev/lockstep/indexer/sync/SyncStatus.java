package dev.lockstep.indexer.sync;

import dev.lockstep.indexer.model.StoredEnum;

/** Where a chain's follower is, as {@code /health} and {@code GET /v1/chains} show it. */
public enum SyncStatus implements StoredEnum {
  /** No step has finished yet. */
  STARTING,
  /** Caught up, or advancing. */
  OK,
  /**
   * Behind with no progress, or RPC failing, for longer than the chain's {@code stall_after}; the
   * loop keeps retrying.
   */
  STALLED,
  /**
   * Answers keep failing verification (logs left out, or a derived inconsistency such as a negative
   * balance): the follower refetches from the next endpoint and resumes by itself when a good
   * answer comes; the reason is in the health's {@code last_error}.
   */
  DEGRADED,
  /** A reorg deeper than finality was seen; an operator must clear it. */
  HALTED
}
