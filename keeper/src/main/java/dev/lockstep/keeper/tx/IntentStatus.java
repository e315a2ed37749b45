package dev.lockstep.keeper.tx;

import dev.lockstep.indexer.model.StoredEnum;

/** Where a transaction intent stands in the engine (see {@link TxEngine}). Stored lowercase. */
public enum IntentStatus implements StoredEnum {
  /** Committed, not yet signed. */
  QUEUED,
  /** Signed with a nonce and broadcast (or about to be); not yet seen in a block. */
  SUBMITTED,
  /** One of its transactions is in a block; watched until it is confirmed. */
  MINED,
  /** Closed: mined successfully and confirmed. */
  CONFIRMED,
  /** Closed: the call reverts (simulated or mined), for a reason other than being done already. */
  REVERTED,
  /** Closed: the call's purpose was already achieved by someone else; nothing was sent. */
  DONE_BY_OTHER,
  /** Closed: voided by a no-op after its replacements, or its nonce was used by another tx. */
  FAILED;

  /** Whether the engine still works on it (QUEUED, SUBMITTED or MINED). */
  public boolean isOpen() {
    return switch (this) {
      case QUEUED, SUBMITTED, MINED -> true;
      case CONFIRMED, REVERTED, DONE_BY_OTHER, FAILED -> false;
    };
  }
}
