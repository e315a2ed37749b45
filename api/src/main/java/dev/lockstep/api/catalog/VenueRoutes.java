package dev.lockstep.api.catalog;

import dev.lockstep.api.ListPage;
import dev.lockstep.api.Params;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.ports.VenueCalendar;
import dev.lockstep.ports.VenueCalendar.AssetClass;
import dev.lockstep.ports.VenueCalendar.ClearingCycle;
import dev.lockstep.ports.VenueCalendar.SessionKind;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/venues}, {@code GET /v1/venues/{id}} and {@code GET /v1/venues/{id}/sessions}: the
 * venues that trade the assets' underlyings and their sessions, from the daemon's venue calendar.
 * An order is routed to the broker while its asset's venue is in session and waits {@code queued}
 * otherwise; a non-fractional venue's orders are refused outside its sessions.
 */
public final class VenueRoutes {
  /** Span of {@code /sessions} when {@code to} is not given: 7 days. */
  static final Duration DEFAULT_SPAN = Duration.ofDays(7);

  private final VenueCalendar calendar;
  private final Clock clock;

  public VenueRoutes(VenueCalendar calendar, Clock clock) {
    this.calendar = calendar;
    this.clock = clock;
  }

  /**
   * A venue and where it stands now.
   *
   * @param timeZone the IANA zone its session times are set in
   * @param fractional whether it fills fractions of a unit; if not, quantities are whole and orders
   *     outside its sessions are refused ({@code market_closed_non_fractional})
   * @param clearing the broker's clearing cycle: when an execution there settles on chain
   * @param holidaysThrough the last day its holiday data covers
   * @param open whether it is in session now
   * @param currentSession the session open now
   * @param nextSession the next session to open (absent while one is open, or none within 92 days)
   */
  public record Venue(
      String id,
      String object,
      String name,
      String timeZone,
      List<AssetClass> assetClasses,
      boolean fractional,
      ClearingCycle clearing,
      Optional<LocalDate> holidaysThrough,
      boolean open,
      Optional<Session> currentSession,
      Optional<Session> nextSession) {}

  /**
   * One session, {@code [opens_at, closes_at)}.
   *
   * @param tradingDay the venue's trading day it belongs to (an overnight session opening Sunday
   *     evening belongs to Monday)
   * @param earlyClose the trading day closes early
   */
  public record Session(
      String object,
      String venue,
      SessionKind kind,
      LocalDate tradingDay,
      Instant opensAt,
      Instant closesAt,
      boolean earlyClose) {
    static Session of(VenueCalendar.Session s) {
      return new Session(
          "session",
          s.venue(),
          s.kind(),
          s.tradingDay(),
          s.opensAt(),
          s.closesAt(),
          s.earlyClose());
    }
  }

  /** GET /v1/venues: every venue (one page). */
  public void list(Context ctx) {
    Instant now = clock.instant();
    ctx.json(
        ListPage.of(
            calendar.venues().stream().map(v -> venue(v, now)).toList(), false, Optional.empty()));
  }

  /** GET /v1/venues/{id}. */
  public void get(Context ctx) {
    ctx.json(venue(venueOf(ctx), clock.instant()));
  }

  /**
   * GET /v1/venues/{id}/sessions?from=&to=: the sessions overlapping {@code [from, to)} (ISO-8601
   * instants; default now and 7 days later; at most 92 days), in order, one page.
   */
  public void sessions(Context ctx) {
    VenueCalendar.Venue v = venueOf(ctx);
    Instant from = Params.optionalInstant(ctx, "from").orElse(clock.instant());
    Instant to = Params.optionalInstant(ctx, "to").orElse(from.plus(DEFAULT_SPAN));
    if (!to.isAfter(from)) {
      throw ApiException.invalidParam("to", "'to' must be after 'from'");
    }
    if (Duration.between(from, to).compareTo(VenueCalendar.MAX_SPAN) > 0) {
      throw ApiException.invalidParam(
          "to", "'from' to 'to' spans at most " + VenueCalendar.MAX_SPAN.toDays() + " days");
    }
    ctx.json(
        ListPage.of(
            calendar.sessions(v.id(), from, to).stream().map(Session::of).toList(),
            false,
            Optional.empty()));
  }

  private VenueCalendar.Venue venueOf(Context ctx) {
    String id = ctx.pathParam("id");
    return calendar
        .venue(id)
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.VENUE_NOT_FOUND, "No venue '" + id + "'", Map.of("venue", id)));
  }

  private Venue venue(VenueCalendar.Venue v, Instant now) {
    Optional<VenueCalendar.Session> current = calendar.sessionAt(v.id(), now);
    Optional<VenueCalendar.Session> next =
        current.isPresent() ? Optional.empty() : calendar.nextSession(v.id(), now);
    return new Venue(
        v.id(),
        "venue",
        v.name(),
        v.timeZone().getId(),
        v.assetClasses(),
        v.fractional(),
        v.clearing(),
        v.holidaysThrough(),
        current.isPresent(),
        current.map(Session::of),
        next.map(Session::of));
  }
}
