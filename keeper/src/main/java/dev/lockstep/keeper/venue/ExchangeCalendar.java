package dev.lockstep.keeper.venue;

import dev.lockstep.ports.VenueCalendar;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The built-in venue calendar ({@code venue_calendar} adapter {@code exchange}), three venues in
 * New York time:
 *
 * <ul>
 *   <li>{@code xnys}, US equities and ETFs: each trading day has an overnight session (20:00 the
 *       evening before to 04:00), pre-market (04:00-09:30), the core session (09:30-16:00) and
 *       post-market (16:00-20:00); on an early close the core session ends at 13:00 and post-market
 *       runs 13:00-17:00. Trading days are weekdays except the NYSE holidays of 2026-2028; clearing
 *       T+1.
 *   <li>{@code us_bonds}, bonds: one dealing session 08:00-17:00 (14:00 on an early close) on
 *       weekdays except the full closes SIFMA recommends (US federal holidays and Good Friday),
 *       2026-2028; clearing T+2.
 *   <li>{@code private_credit}: one dealing session 09:30-16:00 on the last {@code xnys} trading
 *       day of each month; whole units only; clearing at the next monthly dealing day.
 * </ul>
 *
 * After 2028 the weekday rules hold without holidays ({@link Venue#holidaysThrough}). An asset is
 * on {@code us_bonds} or {@code private_credit} when the configuration lists it there, otherwise on
 * {@code xnys}. Immutable and thread-safe.
 */
public final class ExchangeCalendar implements VenueCalendar {
  /** New York, where every venue here sets its times. */
  public static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** The last day the holiday data covers. */
  public static final LocalDate DATA_THROUGH = LocalDate.of(2028, 12, 31);

  /** NYSE full closes, 2026-2028 (New Year's Day 2028 falls on a Saturday and is not observed). */
  static final Set<LocalDate> NYSE_HOLIDAYS =
      dates(
          "2026-01-01 2026-01-19 2026-02-16 2026-04-03 2026-05-25 2026-06-19 2026-07-03 2026-09-07"
              + " 2026-11-26 2026-12-25",
          "2027-01-01 2027-01-18 2027-02-15 2027-03-26 2027-05-31 2027-06-18 2027-07-05 2027-09-06"
              + " 2027-11-25 2027-12-24",
          "2028-01-17 2028-02-21 2028-04-14 2028-05-29 2028-06-19 2028-07-04 2028-09-04 2028-11-23"
              + " 2028-12-25");

  /** NYSE early closes (13:00), 2026-2028. */
  static final Set<LocalDate> NYSE_EARLY_CLOSES =
      dates("2026-11-27 2026-12-24", "2027-11-26", "2028-07-03 2028-11-24");

  /**
   * Bond market full closes as SIFMA recommends them, 2026-2028: the US federal holidays (Columbus
   * Day and Veterans Day included) and Good Friday.
   */
  static final Set<LocalDate> BOND_HOLIDAYS =
      dates(
          "2026-01-01 2026-01-19 2026-02-16 2026-04-03 2026-05-25 2026-06-19 2026-07-03 2026-09-07"
              + " 2026-10-12 2026-11-11 2026-11-26 2026-12-25",
          "2027-01-01 2027-01-18 2027-02-15 2027-03-26 2027-05-31 2027-06-18 2027-07-05 2027-09-06"
              + " 2027-10-11 2027-11-11 2027-11-25 2027-12-24",
          "2028-01-17 2028-02-21 2028-04-14 2028-05-29 2028-06-19 2028-07-04 2028-09-04 2028-10-09"
              + " 2028-11-23 2028-12-25");

  /**
   * Bond market early closes (14:00): the business day before Good Friday, Independence Day and
   * Christmas, the day after Thanksgiving, and the year's last business day, 2026-2028.
   */
  static final Set<LocalDate> BOND_EARLY_CLOSES =
      dates(
          "2026-04-02 2026-07-02 2026-11-27 2026-12-24 2026-12-31",
          "2027-03-25 2027-07-02 2027-11-26 2027-12-23 2027-12-31",
          "2028-04-13 2028-07-03 2028-11-24 2028-12-22 2028-12-29");

  private static final LocalTime OVERNIGHT_OPENS = LocalTime.of(20, 0);
  private static final LocalTime PRE_OPENS = LocalTime.of(4, 0);
  private static final LocalTime CORE_OPENS = LocalTime.of(9, 30);
  private static final LocalTime CORE_CLOSES = LocalTime.of(16, 0);
  private static final LocalTime EARLY_CLOSE = LocalTime.of(13, 0);
  private static final LocalTime POST_CLOSES = LocalTime.of(20, 0);
  private static final LocalTime POST_CLOSES_EARLY = LocalTime.of(17, 0);
  private static final LocalTime BONDS_OPEN = LocalTime.of(8, 0);
  private static final LocalTime BONDS_CLOSE = LocalTime.of(17, 0);
  private static final LocalTime BONDS_CLOSE_EARLY = LocalTime.of(14, 0);

  /** US equities and ETFs. */
  public static final Venue XNYS =
      new Venue(
          "xnys",
          "US equities and ETFs (NYSE and Nasdaq hours, with extended and overnight sessions)",
          NEW_YORK,
          List.of(AssetClass.EQUITY, AssetClass.ETF),
          true,
          ClearingCycle.T_PLUS_1,
          java.util.Optional.of(DATA_THROUGH));

  /** US bonds. */
  public static final Venue US_BONDS =
      new Venue(
          "us_bonds",
          "US bonds (SIFMA dealing days)",
          NEW_YORK,
          List.of(AssetClass.BOND),
          true,
          ClearingCycle.T_PLUS_2,
          java.util.Optional.of(DATA_THROUGH));

  /** Private credit vehicles. */
  public static final Venue PRIVATE_CREDIT =
      new Venue(
          "private_credit",
          "Private credit (monthly dealing, whole units)",
          NEW_YORK,
          List.of(AssetClass.PRIVATE_CREDIT),
          false,
          ClearingCycle.MONTHLY,
          java.util.Optional.of(DATA_THROUGH));

  /** ETFs among the tickers the reference names; any other ticker on {@code xnys} is an equity. */
  private static final Set<String> ETFS =
      Set.of("SPY", "QQQ", "VTI", "VOO", "TLT", "SGOV", "IEF", "LQD", "HYG");

  private final Map<String, AssetClass> classes;

  /**
   * @param bonds tickers dealt on {@code us_bonds}
   * @param privateCredit tickers dealt on {@code private_credit}
   */
  public ExchangeCalendar(Set<String> bonds, Set<String> privateCredit) {
    Map<String, AssetClass> m = new HashMap<>();
    bonds.forEach(t -> m.put(t.toUpperCase(Locale.ROOT), AssetClass.BOND));
    for (String t : privateCredit) {
      if (m.put(t.toUpperCase(Locale.ROOT), AssetClass.PRIVATE_CREDIT) != null) {
        throw new IllegalArgumentException(t + " is listed both as a bond and as private credit");
      }
    }
    this.classes = Map.copyOf(m);
  }

  /**
   * The calendar from the adapter's settings {@code bonds} and {@code private_credit}
   * (comma-separated tickers).
   */
  public static ExchangeCalendar fromSettings(Map<String, String> settings) {
    return new ExchangeCalendar(
        tickers(settings.get("bonds")), tickers(settings.get("private_credit")));
  }

  private static Set<String> tickers(String list) {
    if (list == null || list.isBlank()) {
      return Set.of();
    }
    return Stream.of(list.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public List<Venue> venues() {
    return List.of(XNYS, US_BONDS, PRIVATE_CREDIT);
  }

  @Override
  public AssetClass assetClassOf(String asset) {
    String t = asset.toUpperCase(Locale.ROOT);
    AssetClass c = classes.get(t);
    if (c != null) {
      return c;
    }
    return ETFS.contains(t) ? AssetClass.ETF : AssetClass.EQUITY;
  }

  @Override
  public Venue venueOf(String asset) {
    return switch (assetClassOf(asset)) {
      case BOND -> US_BONDS;
      case PRIVATE_CREDIT -> PRIVATE_CREDIT;
      case EQUITY, ETF -> XNYS;
    };
  }

  @Override
  public List<Session> sessions(String venue, Instant from, Instant to) {
    Venue v =
        venue(venue).orElseThrow(() -> new IllegalArgumentException("unknown venue " + venue));
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("to must be after from");
    }
    if (java.time.Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
      throw new IllegalArgumentException("span longer than " + MAX_SPAN.toDays() + " days");
    }
    // Trading days whose sessions can overlap the span: an overnight session opens the evening
    // before its day.
    LocalDate first = LocalDate.ofInstant(from, NEW_YORK).minusDays(1);
    LocalDate last = LocalDate.ofInstant(to, NEW_YORK).plusDays(1);
    List<Session> out = new ArrayList<>();
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      for (Session s : sessionsOf(v, d)) {
        if (s.opensAt().isBefore(to) && s.closesAt().isAfter(from)) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** The sessions of trading day {@code day} at {@code v}, none if it is no trading day there. */
  private static List<Session> sessionsOf(Venue v, LocalDate day) {
    if (v == XNYS) {
      if (!equitiesTradingDay(day)) {
        return List.of();
      }
      boolean early = NYSE_EARLY_CLOSES.contains(day);
      LocalTime coreCloses = early ? EARLY_CLOSE : CORE_CLOSES;
      return List.of(
          session(
              v,
              SessionKind.OVERNIGHT,
              day,
              at(day.minusDays(1), OVERNIGHT_OPENS),
              at(day, PRE_OPENS),
              early),
          session(v, SessionKind.PRE_MARKET, day, at(day, PRE_OPENS), at(day, CORE_OPENS), early),
          session(v, SessionKind.CORE, day, at(day, CORE_OPENS), at(day, coreCloses), early),
          session(
              v,
              SessionKind.POST_MARKET,
              day,
              at(day, coreCloses),
              at(day, early ? POST_CLOSES_EARLY : POST_CLOSES),
              early));
    }
    if (v == US_BONDS) {
      if (!weekday(day) || BOND_HOLIDAYS.contains(day)) {
        return List.of();
      }
      boolean early = BOND_EARLY_CLOSES.contains(day);
      return List.of(
          session(
              v,
              SessionKind.DEALING,
              day,
              at(day, BONDS_OPEN),
              at(day, early ? BONDS_CLOSE_EARLY : BONDS_CLOSE),
              early));
    }
    if (!day.equals(lastEquitiesTradingDayOfMonth(day))) {
      return List.of();
    }
    boolean early = NYSE_EARLY_CLOSES.contains(day);
    return List.of(
        session(
            v,
            SessionKind.DEALING,
            day,
            at(day, CORE_OPENS),
            at(day, early ? EARLY_CLOSE : CORE_CLOSES),
            early));
  }

  /** Whether {@code day} is a US equities trading day. */
  public static boolean equitiesTradingDay(LocalDate day) {
    return weekday(day) && !NYSE_HOLIDAYS.contains(day);
  }

  /** The last US equities trading day of {@code day}'s month: private credit's dealing day. */
  static LocalDate lastEquitiesTradingDayOfMonth(LocalDate day) {
    LocalDate d = day.with(TemporalAdjusters.lastDayOfMonth());
    while (!equitiesTradingDay(d)) {
      d = d.minusDays(1);
    }
    return d;
  }

  private static boolean weekday(LocalDate day) {
    return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
  }

  private static Instant at(LocalDate day, LocalTime time) {
    return day.atTime(time).atZone(NEW_YORK).toInstant();
  }

  private static Session session(
      Venue v, SessionKind kind, LocalDate day, Instant opens, Instant closes, boolean early) {
    return new Session(v.id(), kind, day, opens, closes, early);
  }

  private static Set<LocalDate> dates(String... years) {
    return Stream.of(years)
        .flatMap(y -> Stream.of(y.trim().split("\\s+")))
        .map(LocalDate::parse)
        .collect(Collectors.toUnmodifiableSet());
  }
}
