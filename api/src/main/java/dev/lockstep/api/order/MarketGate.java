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

  /** Longest a limit order may live: 90 days. */
  static final Duration MAX_GOOD_TILL = Duration.ofDays(90);

  /**
   * The limit of an order request: {@code limit_price} (USD per share, above 0, at most 6 decimals)
   * with {@code good_till} (an ISO-8601 instant in the future, at most 90 days ahead), both or
   * neither; a holder's signed order cannot carry one (signed limit orders come later).
   */
  java.util.Optional<dev.lockstep.ports.OrderDesk.OrderLimit> limit(
      java.math.@org.jspecify.annotations.Nullable BigDecimal limitPrice,
      @org.jspecify.annotations.Nullable String goodTill,
      boolean signed) {
    if (limitPrice == null && goodTill == null) {
      return java.util.Optional.empty();
    }
    if (limitPrice == null) {
      throw ApiException.invalidParam("limit_price", "'good_till' needs a 'limit_price'");
    }
    if (goodTill == null) {
      throw ApiException.invalidParam(
          "good_till", "a limit order needs 'good_till' (ISO-8601, e.g. 2026-12-31T21:00:00Z)");
    }
    if (signed) {
      throw ApiException.invalidParam(
          "limit_price",
          "limit orders are placed from the settlement wallet; a signed order is a market order");
    }
    if (limitPrice.signum() <= 0 || limitPrice.stripTrailingZeros().scale() > 6) {
      throw ApiException.invalidParam(
          "limit_price", "'limit_price' must be above 0 with at most 6 decimals (USD per share)");
    }
    Instant till;
    try {
      till = Instant.parse(goodTill);
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiException.invalidParam(
          "good_till", "'good_till' must be an ISO-8601 instant, e.g. 2026-12-31T21:00:00Z");
    }
    Instant now = clock.instant();
    if (!till.isAfter(now.plusSeconds(60)) || till.isAfter(now.plus(MAX_GOOD_TILL))) {
      throw ApiException.invalidParam(
          "good_till", "'good_till' must be at least a minute and at most 90 days ahead");
    }
    return java.util.Optional.of(
        new dev.lockstep.ports.OrderDesk.OrderLimit(
            limitPrice.movePointRight(6).toBigIntegerExact(), till));
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
