package dev.lockstep.keeper.tx;

import dev.lockstep.indexer.model.StoredEnum;

/** What one signed transaction of an intent is. Stored lowercase. */
public enum AttemptKind implements StoredEnum {
  /** The first transaction of the intent. */
  ORIGINAL,
  /** The same call at the same nonce with higher fees (EIP-1559 replacement). */
  REPLACEMENT,
  /** A zero-value self-transfer that voids the nonce (after the last replacement, or a gap). */
  NOOP
}
