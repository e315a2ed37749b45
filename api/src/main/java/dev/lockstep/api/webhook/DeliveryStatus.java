package dev.lockstep.api.webhook;

import dev.lockstep.indexer.model.StoredEnum;

/**
 * Where a webhook delivery stands (reference platform-docs "Webhooks": retries, then abandoned).
 */
public enum DeliveryStatus implements StoredEnum {
  /** Not yet answered with a 2xx; the next attempt is scheduled. */
  PENDING,
  /** A 2xx arrived within the timeout. */
  DELIVERED,
  /** Every attempt of the schedule failed; replayable. */
  ABANDONED
}
