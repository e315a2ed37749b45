package dev.lockstep.api.order;

import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.ports.VenueCalendar;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an asset's venue lets an order do (reference platform-docs "Mint": quantity "Non-fractional
 * for some private-credit assets"; error {@code market_closed_non_fractional}, "this asset requires
 * live-market fills and the venue is shut"). On a fractional venue an order out of session is
 * placed and waits {@code queued} until the keeper promotes it at the venue's next session; on a
 * non-fractional venue quantities are whole units and an order out of session is refused before
 * anything is sent, with {@code next_session_at} and {@code seconds_until_session}.
 */
final class MarketGate {
  /** Base units of one whole share (6 decimals). */
  private static final BigInteger UNIT = BigInteger.TEN.pow(6);

  private final VenueCalendar calendar;
  private final Clock clock;

  MarketGate(VenueCalendar calendar, Clock clock) {
    this.calendar = calendar;
    this.clock = clock;
  }

  /**
   * Refuses a fraction of a unit of an asset its venue trades in whole units only.
   *
   * @param quantityUnits the quantity in base units (6 decimals)
   */
  void checkQuantity(String asset, BigInteger quantityUnits) {
    VenueCalendar.Venue v = calendar.venueOf(asset);
    if (!v.fractional() && quantityUnits.mod(UNIT).signum() != 0) {
      throw ApiException.invalidParam(
          "quantity",
          "'quantity' must be a whole number of units: "
              + asset
              + " trades on "
              + v.id()
              + ", which does not fill fractions");
    }
  }

  /** Refuses an order of a non-fractional asset while its venue is out of session. */
  void checkSession(String asset) {
    VenueCalendar.Venue v = calendar.venueOf(asset);
    Instant now = clock.instant();
    if (v.fractional() || calendar.sessionAt(v.id(), now).isPresent()) {
      return;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("asset", asset);
    fields.put("venue", v.id());
    Optional<VenueCalendar.Session> next = calendar.nextSession(v.id(), now);
    next.ifPresent(
        s -> {
          fields.put("next_session_at", s.opensAt().toString());
          fields.put("seconds_until_session", Duration.between(now, s.opensAt()).toSeconds());
        });
    throw new ApiException(
        ErrorCode.MARKET_CLOSED_NON_FRACTIONAL,
        asset
            + " requires live fills and "
            + v.id()
            + " is out of session"
            + next.map(s -> "; it next opens at " + s.opensAt()).orElse(""),
        fields);
  }
}
