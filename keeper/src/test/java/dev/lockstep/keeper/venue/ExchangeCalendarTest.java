package dev.lockstep.keeper.venue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.ports.VenueCalendar.AssetClass;
import dev.lockstep.ports.VenueCalendar.Session;
import dev.lockstep.ports.VenueCalendar.SessionKind;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExchangeCalendarTest {
  private final ExchangeCalendar cal = new ExchangeCalendar(Set.of("UST10Y"), Set.of("PCF"));

  private static Instant t(String utc) {
    return Instant.parse(utc);
  }

  private List<Session> day(String venue, String date) {
    LocalDate d = LocalDate.parse(date);
    return cal
        .sessions(
            venue,
            t(date + "T00:00:00Z").minus(Duration.ofDays(1)),
            t(date + "T00:00:00Z").plus(Duration.ofDays(2)))
        .stream()
        .filter(s -> s.tradingDay().equals(d))
        .toList();
  }

  @Test
  void holidayDataIsOnWeekdaysAndCountsTheNyseYear() {
    for (LocalDate d : ExchangeCalendar.NYSE_HOLIDAYS) {
      assertThat(d.getDayOfWeek()).as(d.toString()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    }
    for (LocalDate d : ExchangeCalendar.BOND_HOLIDAYS) {
      assertThat(d.getDayOfWeek()).as(d.toString()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
    }
    assertThat(ExchangeCalendar.NYSE_HOLIDAYS.stream().filter(d -> d.getYear() == 2026))
        .hasSize(10);
    assertThat(ExchangeCalendar.NYSE_HOLIDAYS.stream().filter(d -> d.getYear() == 2027))
        .hasSize(10);
    // New Year's Day 2028 is a Saturday, and the NYSE does not close on Friday 2027-12-31 for it.
    assertThat(ExchangeCalendar.NYSE_HOLIDAYS.stream().filter(d -> d.getYear() == 2028)).hasSize(9);
    assertThat(ExchangeCalendar.equitiesTradingDay(LocalDate.parse("2027-12-31"))).isTrue();
    // Easter: 2026-04-05, 2027-03-28, 2028-04-16.
    assertThat(ExchangeCalendar.NYSE_HOLIDAYS)
        .contains(
            LocalDate.parse("2026-04-03"),
            LocalDate.parse("2027-03-26"),
            LocalDate.parse("2028-04-14"));
  }

  @Test
  void aWinterTradingDayHasFourSessionsInEasternStandardTime() {
    List<Session> monday = day("xnys", "2026-12-07");
    assertThat(monday)
        .extracting(Session::kind)
        .containsExactly(
            SessionKind.OVERNIGHT,
            SessionKind.PRE_MARKET,
            SessionKind.CORE,
            SessionKind.POST_MARKET);
    // Sunday 20:00 EST to Monday 04:00 EST, then 04:00-09:30, 09:30-16:00, 16:00-20:00.
    assertThat(monday.get(0).opensAt()).isEqualTo(t("2026-12-07T01:00:00Z"));
    assertThat(monday.get(0).closesAt()).isEqualTo(t("2026-12-07T09:00:00Z"));
    assertThat(monday.get(2).opensAt()).isEqualTo(t("2026-12-07T14:30:00Z"));
    assertThat(monday.get(2).closesAt()).isEqualTo(t("2026-12-07T21:00:00Z"));
    assertThat(monday.get(3).closesAt()).isEqualTo(t("2026-12-08T01:00:00Z"));
    assertThat(monday).noneMatch(Session::earlyClose);
  }

  @Test
  void daylightSavingTimeMovesTheSessionsAnHourEarlierInUtcFromTheMarchWeek() {
    // DST begins Sunday 2026-03-08 at 02:00 in New York.
    Session fridayCore = core("2026-03-06");
    Session mondayCore = core("2026-03-09");
    assertThat(fridayCore.opensAt()).isEqualTo(t("2026-03-06T14:30:00Z"));
    assertThat(mondayCore.opensAt()).isEqualTo(t("2026-03-09T13:30:00Z"));
    // The overnight session into that Monday opens Sunday 20:00 EDT.
    assertThat(day("xnys", "2026-03-09").get(0).opensAt()).isEqualTo(t("2026-03-09T00:00:00Z"));
    // And back in November (DST ends Sunday 2026-11-01).
    assertThat(core("2026-10-30").opensAt()).isEqualTo(t("2026-10-30T13:30:00Z"));
    assertThat(core("2026-11-02").opensAt()).isEqualTo(t("2026-11-02T14:30:00Z"));
  }

  private Session core(String date) {
    return day("xnys", date).stream()
        .filter(s -> s.kind() == SessionKind.CORE)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aWeekendOrderWaitsForSundayEveningsOvernightSession() {
    Instant saturday = t("2026-12-12T15:00:00Z");
    assertThat(cal.isOpen("AAPL", saturday)).isFalse();
    assertThat(cal.sessionAt("xnys", saturday)).isEmpty();
    Session next = cal.nextSession("xnys", saturday).orElseThrow();
    assertThat(next.kind()).isEqualTo(SessionKind.OVERNIGHT);
    assertThat(next.tradingDay()).isEqualTo(LocalDate.parse("2026-12-14"));
    assertThat(next.opensAt()).isEqualTo(t("2026-12-14T01:00:00Z"));
    // Friday's post-market ends at 20:00 EST; nothing opens again before Sunday 20:00.
    assertThat(cal.isOpen("AAPL", t("2026-12-12T00:59:59Z"))).isTrue();
    assertThat(cal.isOpen("AAPL", t("2026-12-12T01:00:00Z"))).isFalse();
  }

  @Test
  void aHolidayHasNoSessionsAndNoOvernightSessionLeadsIntoIt() {
    assertThat(day("xnys", "2026-04-03")).isEmpty(); // Good Friday
    // Thursday's post-market closes 20:00 EDT; the next session is Sunday's overnight for Monday.
    Session next = cal.nextSession("xnys", t("2026-04-03T00:00:00Z")).orElseThrow();
    assertThat(next.tradingDay()).isEqualTo(LocalDate.parse("2026-04-06"));
    assertThat(next.opensAt()).isEqualTo(t("2026-04-06T00:00:00Z"));
    // Thanksgiving 2026, then the early close of the day after: core until 13:00, post 13:00-17:00.
    assertThat(day("xnys", "2026-11-26")).isEmpty();
    List<Session> blackFriday = day("xnys", "2026-11-27");
    assertThat(blackFriday).allMatch(Session::earlyClose);
    assertThat(blackFriday.get(2).closesAt()).isEqualTo(t("2026-11-27T18:00:00Z"));
    assertThat(blackFriday.get(3).opensAt()).isEqualTo(t("2026-11-27T18:00:00Z"));
    assertThat(blackFriday.get(3).closesAt()).isEqualTo(t("2026-11-27T22:00:00Z"));
  }

  @Test
  void bondsDealOnTheirOwnDaysAndPrivateCreditOnTheMonthsLastTradingDay() {
    assertThat(cal.venueOf("UST10Y").id()).isEqualTo("us_bonds");
    assertThat(cal.assetClassOf("ust10y")).isEqualTo(AssetClass.BOND);
    assertThat(cal.venueOf("PCF").fractional()).isFalse();
    assertThat(cal.assetClassOf("SPY")).isEqualTo(AssetClass.ETF);
    assertThat(cal.assetClassOf("AAPL")).isEqualTo(AssetClass.EQUITY);
    // Columbus Day: stocks trade, bonds do not.
    assertThat(day("xnys", "2026-10-12")).hasSize(4);
    assertThat(day("us_bonds", "2026-10-12")).isEmpty();
    List<Session> bonds = day("us_bonds", "2026-10-13");
    assertThat(bonds).hasSize(1);
    assertThat(bonds.get(0).opensAt()).isEqualTo(t("2026-10-13T12:00:00Z"));
    assertThat(bonds.get(0).closesAt()).isEqualTo(t("2026-10-13T21:00:00Z"));
    // The bond market closes at 14:00 on Christmas Eve.
    assertThat(day("us_bonds", "2026-12-24").get(0).closesAt())
        .isEqualTo(t("2026-12-24T19:00:00Z"));
    // Private credit deals once a month: on 2026-12-07 its next window is Thursday 2026-12-31.
    Session pc = cal.nextSession("private_credit", t("2026-12-07T15:00:00Z")).orElseThrow();
    assertThat(pc.kind()).isEqualTo(SessionKind.DEALING);
    assertThat(pc.tradingDay()).isEqualTo(LocalDate.parse("2026-12-31"));
    assertThat(pc.opensAt()).isEqualTo(t("2026-12-31T14:30:00Z"));
    assertThat(cal.isOpen("PCF", t("2026-12-07T15:00:00Z"))).isFalse();
    // A month ending on a weekend deals on its last trading day: 2027-01-29 (a Friday).
    assertThat(ExchangeCalendar.lastEquitiesTradingDayOfMonth(LocalDate.parse("2027-01-05")))
        .isEqualTo(LocalDate.parse("2027-01-29"));
  }

  @Test
  void sessionsRefuseUnknownVenuesAndSpansTooLong() {
    assertThatThrownBy(
            () -> cal.sessions("nope", t("2026-12-07T00:00:00Z"), t("2026-12-08T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> cal.sessions("xnys", t("2026-12-07T00:00:00Z"), t("2027-06-08T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> cal.sessions("xnys", t("2026-12-07T00:00:00Z"), t("2026-12-07T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
    // A week of US equities: five trading days of four sessions, ordered.
    List<Session> week = cal.sessions("xnys", t("2026-12-07T05:00:00Z"), t("2026-12-12T05:00:00Z"));
    assertThat(week).hasSize(20);
    for (int i = 1; i < week.size(); i++) {
      assertThat(week.get(i).opensAt()).isAfterOrEqualTo(week.get(i - 1).closesAt());
    }
  }

  @Test
  void executionsClearOnTheVenuesCycle() {
    // US equities T+1: a Monday execution clears at Tuesday's open (09:30 New York).
    assertThat(cal.clearsAt("AAPL", t("2026-12-07T15:00:00Z")))
        .isEqualTo(t("2026-12-08T14:30:00Z"));
    // A Friday execution clears on Monday; one in Sunday evening's overnight session belongs to
    // Monday, so it clears on Tuesday.
    assertThat(cal.clearsAt("AAPL", t("2026-12-11T15:00:00Z")))
        .isEqualTo(t("2026-12-14T14:30:00Z"));
    assertThat(cal.clearsAt("AAPL", t("2026-12-14T02:00:00Z")))
        .isEqualTo(t("2026-12-15T14:30:00Z"));
    // Over Thanksgiving: Wednesday's execution clears Friday (an early close, same 09:30 open).
    assertThat(cal.clearsAt("SPY", t("2026-11-25T15:00:00Z"))).isEqualTo(t("2026-11-27T14:30:00Z"));
    // Bonds T+2 on their own days: Friday 2026-10-09 clears Wednesday 10-14 (Columbus Day skipped).
    assertThat(cal.clearsAt("UST10Y", t("2026-10-09T15:00:00Z")))
        .isEqualTo(t("2026-10-14T12:00:00Z"));
    // Private credit: at the next monthly dealing day.
    assertThat(cal.clearsAt("PCF", t("2026-11-30T15:00:00Z"))).isEqualTo(t("2026-12-31T14:30:00Z"));
    // A venue that never closes clears at once.
    Instant at = t("2026-12-12T15:00:00Z");
    assertThat(dev.lockstep.ports.VenueCalendar.alwaysOpen().clearsAt("AAPL", at)).isEqualTo(at);
  }
}
