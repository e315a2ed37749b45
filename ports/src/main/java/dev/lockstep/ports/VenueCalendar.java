package dev.lockstep.ports;

import dev.lockstep.indexer.model.StoredEnum;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The venues whose brokers trade the assets' underlyings, and their sessions (reference
 * platform-docs "What happens outside core trading hours", redeem-flow "out-of-session orders
 * auto-promote from queued to active when the venue opens"). An order of an asset is routed to the
 * broker only while the asset's venue is in one of its sessions; outside them it waits {@code
 * queued}. Sessions are computed in the venue's own time zone ({@link java.time}'s rules, so
 * daylight-saving changes fall where they do in New York) and answered as UTC instants.
 * Thread-safe.
 */
public interface VenueCalendar {
  /** Asset classes, as the reference's lending table groups them. */
  enum AssetClass implements StoredEnum {
    EQUITY,
    ETF,
    BOND,
    PRIVATE_CREDIT
  }

  /** What kind of session a {@link Session} is. */
  enum SessionKind implements StoredEnum {
    /** 20:00-04:00 New York, into a trading day (US equities' overnight market). */
    OVERNIGHT,
    /** 04:00-09:30 New York. */
    PRE_MARKET,
    /** 09:30-16:00 New York (13:00 on an early close): the exchange's regular session. */
    CORE,
    /** 16:00-20:00 New York (13:00-17:00 on an early close). */
    POST_MARKET,
    /** A dealing window of a venue that deals on given days only (bonds, private credit). */
    DEALING,
    /** A day of a venue that never closes (the sandbox's {@link #alwaysOpen} calendar). */
    CONTINUOUS
  }

  /** When the broker's leg of an execution clears, so the order settles on chain. */
  enum ClearingCycle implements StoredEnum {
    /** The execution's clearing happens with it (the always-open calendar). */
    IMMEDIATE,
    /** The next trading day (US equities and ETFs). */
    T_PLUS_1,
    /** The second trading day (bonds and other markets). */
    T_PLUS_2,
    /** The next monthly dealing day (private credit). */
    MONTHLY
  }

  /**
   * A venue.
   *
   * @param id stable identifier ({@code xnys}, {@code us_bonds}, {@code private_credit}, ...)
   * @param timeZone where its session times are set
   * @param assetClasses the asset classes it trades
   * @param fractional whether it fills fractions of a share; a non-fractional venue needs live
   *     fills, so its orders are refused outside its sessions ({@code
   *     market_closed_non_fractional}) and quantities must be whole
   * @param clearing the broker's clearing cycle there
   * @param holidaysThrough the last day its holiday and early-close data covers; after it, sessions
   *     follow the weekday rules alone (absent for a venue without holidays)
   */
  record Venue(
      String id,
      String name,
      ZoneId timeZone,
      List<AssetClass> assetClasses,
      boolean fractional,
      ClearingCycle clearing,
      Optional<LocalDate> holidaysThrough) {
    public Venue {
      assetClasses = List.copyOf(assetClasses);
    }
  }

  /**
   * One session, {@code [opensAt, closesAt)}.
   *
   * @param tradingDay the venue's trading day the session belongs to (an overnight session that
   *     opens Sunday 20:00 belongs to Monday)
   * @param earlyClose whether the trading day closes early (the core session ends at 13:00)
   */
  record Session(
      String venue,
      SessionKind kind,
      LocalDate tradingDay,
      Instant opensAt,
      Instant closesAt,
      boolean earlyClose) {
    /** Whether {@code at} falls within the session. */
    public boolean contains(Instant at) {
      return !at.isBefore(opensAt) && at.isBefore(closesAt);
    }
  }

  /** Longest span {@link #sessions} answers: 92 days. */
  Duration MAX_SPAN = Duration.ofDays(92);

  /** Every venue, in a stable order. */
  List<Venue> venues();

  /** The venue {@code id}, if there is one. */
  default Optional<Venue> venue(String id) {
    return venues().stream().filter(v -> v.id().equals(id)).findFirst();
  }

  /** The venue that trades {@code asset}'s underlying. */
  Venue venueOf(String asset);

  /** {@code asset}'s class at its venue. */
  AssetClass assetClassOf(String asset);

  /**
   * The sessions of {@code venue} that overlap {@code [from, to)}, in order.
   *
   * @throws IllegalArgumentException if the venue is unknown, {@code to} is not after {@code from},
   *     or the span is longer than {@link #MAX_SPAN}
   */
  List<Session> sessions(String venue, Instant from, Instant to);

  /** The session of {@code venue} open at {@code at}, if any. */
  default Optional<Session> sessionAt(String venue, Instant at) {
    return sessions(venue, at, at.plusNanos(1)).stream().filter(s -> s.contains(at)).findFirst();
  }

  /**
   * The first session of {@code venue} that is open at or after {@code at}: the one open now, or
   * the next to open (looked for within {@link #MAX_SPAN}).
   */
  default Optional<Session> nextSession(String venue, Instant at) {
    Optional<Session> now = sessionAt(venue, at);
    if (now.isPresent()) {
      return now;
    }
    return sessions(venue, at, at.plus(MAX_SPAN)).stream()
        .filter(s -> !s.opensAt().isBefore(at))
        .findFirst();
  }

  /**
   * When an execution of {@code asset} at {@code executedAt} clears, so its order can settle on
   * chain: at the opening of the main session (core, or dealing) of the venue's n-th trading day
   * after the execution's (n = 1 for {@link ClearingCycle#T_PLUS_1} and for {@link
   * ClearingCycle#MONTHLY}, whose venue deals once a month; 2 for {@link ClearingCycle#T_PLUS_2});
   * {@code executedAt} itself for {@link ClearingCycle#IMMEDIATE}, or when the calendar finds no
   * such day within {@link #MAX_SPAN}.
   */
  default Instant clearsAt(String asset, Instant executedAt) {
    Venue v = venueOf(asset);
    int n =
        switch (v.clearing()) {
          case IMMEDIATE -> 0;
          case T_PLUS_1, MONTHLY -> 1;
          case T_PLUS_2 -> 2;
        };
    if (n == 0) {
      return executedAt;
    }
    LocalDate executed =
        sessionAt(v.id(), executedAt)
            .map(Session::tradingDay)
            .orElse(LocalDate.ofInstant(executedAt, v.timeZone()));
    List<Session> ahead = sessions(v.id(), executedAt, executedAt.plus(MAX_SPAN));
    LocalDate day = executed;
    int seen = 0;
    for (Session s : ahead) {
      if (!s.tradingDay().isAfter(day)) {
        continue;
      }
      if (s.kind() == SessionKind.CORE || s.kind() == SessionKind.DEALING) {
        day = s.tradingDay();
        if (++seen == n) {
          return s.opensAt();
        }
      }
    }
    return executedAt;
  }

  /** Whether {@code asset}'s venue is in session at {@code at}: its orders are routed now. */
  default boolean isOpen(String asset, Instant at) {
    return sessionAt(venueOf(asset).id(), at).isPresent();
  }

  /**
   * A calendar of one venue, {@code always_open}, that never closes and clears at once: the
   * sandbox's default and the tests'.
   */
  static VenueCalendar alwaysOpen() {
    Venue always =
        new Venue(
            "always_open",
            "Always open (sandbox)",
            ZoneOffset.UTC,
            List.of(AssetClass.values()),
            true,
            ClearingCycle.IMMEDIATE,
            Optional.empty());
    return new VenueCalendar() {
      @Override
      public List<Venue> venues() {
        return List.of(always);
      }

      @Override
      public Venue venueOf(String asset) {
        return always;
      }

      @Override
      public AssetClass assetClassOf(String asset) {
        return AssetClass.EQUITY;
      }

      /** One continuous session per UTC day. */
      @Override
      public List<Session> sessions(String venue, Instant from, Instant to) {
        if (!venue.equals(always.id())) {
          throw new IllegalArgumentException("unknown venue " + venue);
        }
        if (!to.isAfter(from)) {
          throw new IllegalArgumentException("to must be after from");
        }
        List<Session> out = new java.util.ArrayList<>();
        for (LocalDate d = LocalDate.ofInstant(from, ZoneOffset.UTC);
            d.atStartOfDay(ZoneOffset.UTC).toInstant().isBefore(to);
            d = d.plusDays(1)) {
          out.add(
              new Session(
                  always.id(),
                  SessionKind.CONTINUOUS,
                  d,
                  d.atStartOfDay(ZoneOffset.UTC).toInstant(),
                  d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                  false));
        }
        return out;
      }
    };
  }
}
