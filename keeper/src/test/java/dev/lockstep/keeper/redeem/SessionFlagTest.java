package dev.lockstep.keeper.redeem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.keeper.venue.ExchangeCalendar;
import dev.lockstep.ports.VenueCalendar;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionFlagTest {
  private final ExchangeCalendar cal = new ExchangeCalendar(Set.of(), Set.of());

  @Test
  void usEquitiesAreOneOpenStretchFromSundayEveningToFridayEvening() {
    // Monday 2026-12-07 09:00 New York: open since Sunday 20:00 (the overnight session), though
    // the overnight, pre-market and core sessions are three sessions.
    SessionFlag monday = SessionFlag.of(cal, "xnys", Instant.parse("2026-12-07T14:00:00Z"));
    assertThat(monday).isEqualTo(new SessionFlag(true, Instant.parse("2026-12-07T01:00:00Z")));
    // Thursday: still the same stretch, so the same transition (nothing new to send).
    SessionFlag thursday = SessionFlag.of(cal, "xnys", Instant.parse("2026-12-10T22:00:00Z"));
    assertThat(thursday.intentKey(8453)).isEqualTo(monday.intentKey(8453));
    // Saturday: closed since Friday's post-market ended at 20:00 New York.
    SessionFlag saturday = SessionFlag.of(cal, "xnys", Instant.parse("2026-12-12T15:00:00Z"));
    assertThat(saturday).isEqualTo(new SessionFlag(false, Instant.parse("2026-12-12T01:00:00Z")));
    assertThat(saturday.intentKey(8453)).isEqualTo("session:8453:closed:1797037200");
    // After Good Friday 2026 (closed since Thursday 20:00 EDT), open again Sunday 20:00 EDT.
    assertThat(SessionFlag.of(cal, "xnys", Instant.parse("2026-04-04T12:00:00Z")))
        .isEqualTo(new SessionFlag(false, Instant.parse("2026-04-03T00:00:00Z")));
    assertThat(SessionFlag.of(cal, "xnys", Instant.parse("2026-04-06T00:00:01Z")))
        .isEqualTo(new SessionFlag(true, Instant.parse("2026-04-06T00:00:00Z")));
  }

  @Test
  void aVenueThatNeverClosesIsOneTransitionForever() {
    VenueCalendar always = VenueCalendar.alwaysOpen();
    SessionFlag a = SessionFlag.of(always, "always_open", Instant.parse("2026-12-07T14:00:00Z"));
    SessionFlag b = SessionFlag.of(always, "always_open", Instant.parse("2027-03-01T00:00:00Z"));
    assertThat(a).isEqualTo(new SessionFlag(true, Instant.EPOCH));
    assertThat(b).isEqualTo(a);
  }
}
