package dev.lockstep.keeper.redeem;

import dev.lockstep.ports.VenueCalendar;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The order book's session flag ({@code OrderBook.setSessionOpen}: whether new orders start ACTIVE
 * or QUEUED) as the venue calendar wants it: open while the book's venue (the calendar's first, US
 * equities on the exchange calendar) is in one of its sessions, closed between them. Back-to-back
 * sessions (US equities run from Sunday 20:00 to Friday 20:00 New York without a gap) are one open
 * stretch, so the flag changes twice a week plus holidays, not at every session boundary.
 *
 * @param open whether the flag should be set
 * @param since when the current stretch began: the first session's opening, or the last session's
 *     close; {@link Instant#EPOCH} when it began before the calendar's look-back (a venue that
 *     never closes). Each (open, since) is one transition, sent at most once.
 */
public record SessionFlag(boolean open, Instant since) {
  /** How far back the start of a stretch is looked for. */
  static final Duration LOOK_BACK = Duration.ofDays(7);

  /** The flag {@code calendar}'s venue {@code venue} wants at {@code now}. */
  public static SessionFlag of(VenueCalendar calendar, String venue, Instant now) {
    List<VenueCalendar.Session> past =
        calendar.sessions(venue, now.minus(LOOK_BACK), now.plusNanos(1));
    Optional<VenueCalendar.Session> current =
        past.stream().filter(s -> s.contains(now)).findFirst();
    if (current.isEmpty()) {
      return new SessionFlag(
          false,
          past.stream()
              .map(VenueCalendar.Session::closesAt)
              .filter(c -> !c.isAfter(now))
              .max(Instant::compareTo)
              .orElse(Instant.EPOCH));
    }
    // Walk back over sessions that end where the next begins.
    Instant start = current.get().opensAt();
    for (int i = past.indexOf(current.get()) - 1; i >= 0; i--) {
      if (!past.get(i).closesAt().equals(start)) {
        return new SessionFlag(true, start);
      }
      start = past.get(i).opensAt();
    }
    return new SessionFlag(true, start.isAfter(now.minus(LOOK_BACK)) ? start : Instant.EPOCH);
  }

  /** The engine's idempotency key of this transition on {@code chainId}. */
  public String intentKey(long chainId) {
    return "session:" + chainId + ":" + (open ? "open" : "closed") + ":" + since.getEpochSecond();
  }
}
