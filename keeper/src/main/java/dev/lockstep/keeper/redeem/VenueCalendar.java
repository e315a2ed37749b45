package dev.lockstep.keeper.redeem;

import java.time.Instant;

/** Whether the venue that trades an asset's underlying is in session (promotes QUEUED orders). */
@FunctionalInterface
public interface VenueCalendar {
  boolean isOpen(String asset, Instant at);

  /** A venue that never closes: the sandbox default. */
  static VenueCalendar alwaysOpen() {
    return (asset, at) -> true;
  }
}
