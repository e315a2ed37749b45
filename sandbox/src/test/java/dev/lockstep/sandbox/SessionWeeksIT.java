package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.daemon.DaemonConfig;
import dev.lockstep.keeper.venue.ExchangeCalendar;
import dev.lockstep.ports.ShiftableClock;
import dev.lockstep.ports.VenueCalendar;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exchange calendar on the sandbox's own clock, moved through {@code POST /v1/sandbox/clock}
 * (the daemon and the chains together): a mint placed on the Saturday before the next US
 * daylight-saving change waits {@code queued} until Sunday 20:00 New York in the new offset, and
 * one placed on the Saturday before the next Monday holiday waits through the holiday until Monday
 * 20:00, the overnight session of the Tuesday.
 */
class SessionWeeksIT {
  private static final ExchangeCalendar CALENDAR =
      ExchangeCalendar.fromSettings(Sandbox.CALENDAR_SETTINGS);
  private static Sandbox sandbox;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    sandbox =
        Sandbox.start(
            0,
            Path.of("target", "session-weeks-it"),
            1,
            ShiftableClock.system(),
            Map.of(),
            Sandbox.FILL_DELAY,
            DaemonConfig.EXCHANGE);
    api = new ApiClient(sandbox.apiUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static Instant now() throws Exception {
    return Instant.parse(
        body(api.get("/v1/sandbox/clock", sandbox.apiKey())).path("now").asString());
  }

  /** Moves the sandbox (daemon and chains) to {@code t}, 30 days at a time. */
  private static void moveTo(Instant t) throws Exception {
    while (true) {
      Duration left = Duration.between(now(), t);
      if (left.isNegative() || left.isZero()) {
        return;
      }
      Duration step = left.compareTo(Duration.ofDays(30)) > 0 ? Duration.ofDays(30) : left;
      HttpResponse<String> r =
          api.post(
              "/v1/sandbox/clock",
              sandbox.apiKey(),
              "{\"advance\": \"" + step.plusSeconds(0) + "\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
  }

  private static Instant ny(LocalDate day, int hour, int minute) {
    return ZonedDateTime.of(day, LocalTime.of(hour, minute), ExchangeCalendar.NEW_YORK).toInstant();
  }

  private static String mint(String idempotencyKey) throws Exception {
    HttpResponse<String> r =
        api.post(
            "/v1/mints",
            sandbox.apiKey(),
            """
            {"asset": "AAPL", "quantity": 1, "settlement": {"currency": "USDC", "chain": "base"}}""",
            idempotencyKey);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return body(r).path("id").asString();
  }

  private static String status(String id) throws Exception {
    return body(api.get("/v1/mints/" + id, sandbox.apiKey())).path("status").asString();
  }

  /** Waits until the mint has left {@code queued} (the broker filled it: it was routed). */
  private static void awaitRouted(String id) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> !status(id).equals("queued"));
  }

  /** Stays queued for a few keeper rounds. */
  private static void assertStillQueued(String id) throws Exception {
    Thread.sleep(2_500);
    assertThat(status(id)).isEqualTo("queued");
  }

  @Test
  void aSaturdayOrderWaitsThroughTheDaylightSavingChangeAndAHolidayMonday() throws Exception {
    // The next US daylight-saving change (a Sunday at 02:00 New York) and its Saturday.
    ZoneOffsetTransition dst =
        ExchangeCalendar.NEW_YORK.getRules().nextTransition(now().plus(Duration.ofDays(1)));
    LocalDate sunday = dst.getDateTimeBefore().toLocalDate();
    assertThat(sunday.getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
    moveTo(ny(sunday.minusDays(1), 12, 0));
    String before = mint("dst-week-mint");
    assertStillQueued(before);
    // Sunday 19:59 in the new offset: still closed; 20:01: the overnight session of Monday.
    moveTo(ny(sunday, 19, 59));
    assertStillQueued(before);
    Instant open = ny(sunday, 20, 0);
    assertThat(CALENDAR.nextSession("xnys", ny(sunday, 19, 59)).orElseThrow().opensAt())
        .isEqualTo(open);
    moveTo(open.plusSeconds(60));
    awaitRouted(before);

    // The next Monday that is an NYSE holiday (2026-2028 data), from its Saturday.
    Optional<LocalDate> holiday =
        open.plus(Duration.ofDays(2))
            .atZone(ExchangeCalendar.NEW_YORK)
            .toLocalDate()
            .datesUntil(ExchangeCalendar.DATA_THROUGH)
            .filter(d -> d.getDayOfWeek() == DayOfWeek.MONDAY)
            .filter(d -> !ExchangeCalendar.equitiesTradingDay(d))
            .findFirst();
    if (holiday.isEmpty()) {
      // Only at the end of the calendar's holiday data (after it, weekdays only) is there none.
      assertThat(open).isAfter(ny(ExchangeCalendar.DATA_THROUGH.minusMonths(6), 0, 0));
      return;
    }
    System.out.println("SessionWeeksIT: holiday Monday " + holiday.get());
    LocalDate monday = holiday.get();
    moveTo(ny(monday.minusDays(2), 12, 0));
    String holidayMint = mint("holiday-mint");
    // Sunday evening and all Monday long the venue stays shut.
    moveTo(ny(monday.minusDays(1), 20, 30));
    assertStillQueued(holidayMint);
    moveTo(ny(monday, 12, 0));
    assertStillQueued(holidayMint);
    VenueCalendar.Session next = CALENDAR.nextSession("xnys", ny(monday, 12, 0)).orElseThrow();
    assertThat(next.opensAt()).isEqualTo(ny(monday, 20, 0));
    assertThat(next.tradingDay()).isEqualTo(monday.plusDays(1));
    moveTo(next.opensAt().plusSeconds(60));
    awaitRouted(holidayMint);
  }
}
