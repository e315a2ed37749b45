package dev.lockstep.api.auth;

import dev.lockstep.indexer.model.StoredEnum;

/** What an API key may do (reference platform-docs "Authentication"). Stored lowercase. */
public enum Scope implements StoredEnum {
  /** Every call. */
  FULL,
  /** {@code GET} only. */
  READ
}
