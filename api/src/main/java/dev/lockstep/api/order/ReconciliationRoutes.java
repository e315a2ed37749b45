package dev.lockstep.api.order;

import dev.lockstep.api.Amounts;
import dev.lockstep.api.ChainNames;
import dev.lockstep.api.Pagination;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.ports.Reconciliation;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/reconciliation/daily?date=} (reference platform-docs "Reconciliation reports"):
 * the day's report: {@code status} {@code matched}, {@code break} or {@code pending} (a chain has
 * not reconciled yet: its cut-off block, the last at or before 00:00 UTC after the date, is not
 * past its confirmations), a {@code summary}, the checks that need no broker, and the {@code lines}
 * (one per token and chain), cursor-paginated. Quantities in shares (6 decimals), values in USD at
 * the asset's mark. The date defaults to yesterday (UTC).
 */
public final class ReconciliationRoutes {
  private final Reconciliation reconciliation;
  private final ChainNames chains;
  private final Clock clock;

  ReconciliationRoutes(Reconciliation reconciliation, ChainNames chains, Clock clock) {
    this.reconciliation = reconciliation;
    this.chains = chains;
    this.clock = clock;
  }

  /**
   * One (token, chain) line.
   *
   * @param id {@code rec_<date>_<token>_<chainId>}, the pagination cursor
   * @param diff {@code onchain_supply + in_flight_mints - in_flight_redeems - broker_position}:
   *     positive = tokens over-issued
   */
  public record LineResource(
      String id,
      String token,
      String chain,
      long chainId,
      String tokenAddress,
      long cutoffBlock,
      String onchainSupply,
      String inFlightMints,
      String inFlightRedeems,
      String brokerPosition,
      String diff,
      String navUsdc,
      String onchainValueUsdc,
      String brokerValueUsdc,
      String diffUsdc,
      Reconciliation.LineStatus status) {}

  /** The report's totals over every line (not only the page's). */
  public record Summary(
      int tokensChecked,
      long breaks,
      String totalOnchainUsdc,
      String totalBrokerUsdc,
      String diffUsdc) {}

  /** A check of a chain's books that needs no broker. */
  public record CheckResource(
      String chain, String name, String subject, boolean passed, String detail) {}

  /** The pagination of {@code lines}. */
  public record PageInfo(boolean hasMore, Optional<String> nextCursor) {}

  /** {@code reconciliation_report}. */
  public record ReportResource(
      String object,
      LocalDate date,
      Reconciliation.ReportStatus status,
      Optional<Instant> generatedAt,
      List<String> pendingChains,
      Summary summary,
      List<CheckResource> checks,
      List<LineResource> lines,
      PageInfo pagination) {}

  /** {@code GET /v1/reconciliation/daily}. */
  public void daily(Context ctx) {
    String d = ctx.queryParam("date");
    LocalDate date;
    try {
      date =
          d == null
              ? LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1)
              : LocalDate.parse(d);
    } catch (DateTimeParseException e) {
      throw ApiException.invalidParam("date", "'date' must be an ISO date, e.g. 2026-04-21");
    }
    Pagination page = Pagination.of(ctx);
    Reconciliation.Report r = reconciliation.daily(date);
    dev.lockstep.api.ListPage<LineResource> lines =
        page.page(r.lines().stream().map(l -> line(date, l)).toList(), LineResource::id);
    BigDecimal onchain = BigDecimal.ZERO;
    BigDecimal broker = BigDecimal.ZERO;
    BigDecimal diff = BigDecimal.ZERO;
    for (Reconciliation.Line l : r.lines()) {
      onchain =
          onchain.add(
              value(
                  l.onchainSupply().add(l.inFlightMints()).subtract(l.inFlightRedeems()),
                  l.navUsdc()));
      broker = broker.add(value(l.brokerPosition(), l.navUsdc()));
      diff = diff.add(l.diffUsdc().abs());
    }
    ctx.json(
        new ReportResource(
            "reconciliation_report",
            date,
            r.status(),
            r.generatedAt(),
            r.pendingChains().stream().map(chains::name).toList(),
            new Summary(
                r.lines().size(),
                r.lines().stream()
                    .filter(l -> l.status() == Reconciliation.LineStatus.BREAK)
                    .count(),
                usd(onchain),
                usd(broker),
                usd(diff)),
            r.checks().stream()
                .map(
                    c ->
                        new CheckResource(
                            chains.name(c.chainId()),
                            c.name(),
                            c.subject(),
                            c.passed(),
                            c.detail()))
                .toList(),
            lines.data(),
            new PageInfo(lines.hasMore(), lines.nextCursor())));
  }

  private LineResource line(LocalDate date, Reconciliation.Line l) {
    BigInteger expected = l.onchainSupply().add(l.inFlightMints()).subtract(l.inFlightRedeems());
    return new LineResource(
        "rec_" + date + "_" + l.token() + "_" + l.chainId(),
        l.token(),
        chains.name(l.chainId()),
        l.chainId(),
        l.tokenAddress(),
        l.cutoffBlock(),
        Amounts.format(l.onchainSupply(), 6),
        Amounts.format(l.inFlightMints(), 6),
        Amounts.format(l.inFlightRedeems(), 6),
        Amounts.format(l.brokerPosition(), 6),
        Amounts.format(l.diff(), 6),
        l.navUsdc().setScale(2, RoundingMode.HALF_EVEN).toPlainString(),
        usd(value(expected, l.navUsdc())),
        usd(value(l.brokerPosition(), l.navUsdc())),
        usd(l.diffUsdc()),
        l.status());
  }

  private static BigDecimal value(BigInteger baseUnits, BigDecimal nav) {
    return new BigDecimal(baseUnits).movePointLeft(6).multiply(nav);
  }

  private static String usd(BigDecimal v) {
    return v.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }
}
