package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.daemon.DaemonConfig;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.keeper.venue.ExchangeCalendar;
import dev.lockstep.ports.VenueCalendar;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox on the exchange calendar with its clock moved to the coming Saturday: the keeper sets
 * every book's session flag closed, a mint placed then is created QUEUED on chain and shown {@code
 * queued} with no broker leg; when the clock reaches the next session (Sunday 20:00 New York, or
 * later after a holiday) the keeper opens the flag and promotes the order, the broker executes it
 * ({@code filled}, with {@code clears_at}), and it settles once the clock passes T+1's core open. A
 * non-fractional private-credit asset is refused out of session with the next dealing day, and a
 * fraction of it is refused at any time. The venues and their sessions read through the API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VenueCalendarIT {
  private static Sandbox sandbox;
  private static ApiClient api;
  private static MovableClock clock;
  private static Web3j web3j;
  private static OrderBook book;
  private static final VenueCalendar CALENDAR =
      ExchangeCalendar.fromSettings(Sandbox.CALENDAR_SETTINGS);

  /** 15:00 UTC on the first Saturday after today (the chain's time stays real: no fill expires). */
  private static Instant comingSaturday() {
    LocalDate d = LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1);
    while (d.getDayOfWeek() != DayOfWeek.SATURDAY) {
      d = d.plusDays(1);
    }
    return d.atTime(LocalTime.of(15, 0)).toInstant(java.time.ZoneOffset.UTC);
  }

  @BeforeAll
  static void start() {
    clock = new MovableClock();
    clock.advanceTo(comingSaturday());
    sandbox =
        Sandbox.start(
            0,
            Path.of("target", "venue-calendar-it"),
            1,
            clock,
            Map.of(),
            Sandbox.FILL_DELAY,
            DaemonConfig.EXCHANGE);
    api = new ApiClient(sandbox.apiUrl());
    ChainDeployment base = sandbox.deployments().get(8453L);
    web3j = Web3j.build(new HttpService(base.rpcUrl()));
    book =
        OrderBook.load(
            base.orderBook(),
            web3j,
            new ReadonlyTransactionManager(web3j, base.orderBook()),
            ContractDeployer.devnetGas(base.chainId()));
  }

  @AfterAll
  static void stop() {
    web3j.shutdown();
    sandbox.close();
  }

  private static boolean sessionOpen() {
    try {
      return book.sessionOpen().send();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(3) // moves the clock to the next session
  void aWeekendMintWaitsQueuedThenClearsTPlusOneAndSettles() throws Exception {
    String key = sandbox.apiKey();
    assertThat(CALENDAR.isOpen("AAPL", clock.instant())).isFalse();
    // The deployer left the flag open; the keeper closes it for the weekend.
    await().atMost(Duration.ofSeconds(30)).until(() -> !sessionOpen());

    HttpResponse<String> r =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "weekend-mint-1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String id = body(r).path("id").asString();
    long orderId = Long.parseLong(id.substring(id.lastIndexOf('_') + 1));
    assertThat(book.statusOf(BigInteger.valueOf(orderId)).send()).isEqualTo(BigInteger.ONE);
    // Several keeper rounds later it is still queued on chain, with no broker leg.
    Thread.sleep(3_000);
    JsonNode waiting = body(api.get("/v1/mints/" + id, key));
    assertThat(waiting.path("status").asString()).isEqualTo("queued");
    assertThat(book.statusOf(BigInteger.valueOf(orderId)).send()).isEqualTo(BigInteger.ONE);

    VenueCalendar.Session next = CALENDAR.nextSession("xnys", clock.instant()).orElseThrow();
    assertThat(next.opensAt().atZone(ExchangeCalendar.NEW_YORK).toLocalTime())
        .isEqualTo(LocalTime.of(20, 0));
    clock.advanceTo(next.opensAt().plusSeconds(1));
    await().atMost(Duration.ofSeconds(30)).until(VenueCalendarIT::sessionOpen);
    // Promoted and executed; US equities clear T+1, at the next trading day's core open.
    Instant clears = CALENDAR.clearsAt("AAPL", next.opensAt().plusSeconds(3));
    assertThat(clears.atZone(ExchangeCalendar.NEW_YORK).toLocalTime())
        .isEqualTo(LocalTime.of(9, 30));
    assertThat(clears.atZone(ExchangeCalendar.NEW_YORK).toLocalDate()).isAfter(next.tradingDay());
    JsonNode filled = awaitStatus(id, "filled");
    assertThat(Instant.parse(filled.path("clears_at").asString())).isEqualTo(clears);
    Thread.sleep(3_000);
    assertThat(body(api.get("/v1/mints/" + id, key)).path("status").asString()).isEqualTo("filled");
    assertThat(book.statusOf(BigInteger.valueOf(orderId)).send()).isEqualTo(BigInteger.TWO);

    clock.advanceTo(clears.plusSeconds(1));
    JsonNode settled = awaitStatus(id, "settled");
    assertThat(settled.path("clears_at").isMissingNode()).isTrue();
    // Settled on chain (status 3), after its promotion.
    assertThat(book.statusOf(BigInteger.valueOf(orderId)).send()).isEqualTo(BigInteger.valueOf(3));
  }

  private static JsonNode awaitStatus(String id, String status) {
    return api.awaitStatus("/v1/mints/" + id, sandbox.apiKey(), status);
  }

  @Test
  @Order(1)
  void aNonFractionalAssetIsRefusedOutOfSessionAndInFractions() throws Exception {
    String key = sandbox.apiKey();
    Instant now = clock.instant();
    assertThat(CALENDAR.isOpen("PCF", now)).isFalse();
    HttpResponse<String> closed =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "PCF", "quantity": 2, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "pcf-mint-1");
    assertThat(closed.statusCode()).as(closed.body()).isEqualTo(409);
    JsonNode problem = body(closed);
    assertThat(problem.path("code").asString()).isEqualTo("market_closed_non_fractional");
    assertThat(problem.path("venue").asString()).isEqualTo("private_credit");
    Instant dealing =
        CALENDAR.nextSession("private_credit", clock.instant()).orElseThrow().opensAt();
    assertThat(Instant.parse(problem.path("next_session_at").asString())).isEqualTo(dealing);
    assertThat(problem.path("seconds_until_session").asLong())
        .isBetween(
            Duration.between(clock.instant(), dealing).toSeconds() - 60,
            Duration.between(now, dealing).toSeconds());

    HttpResponse<String> fraction =
        api.post(
            "/v1/quotes",
            key,
            """
            {"side": "mint", "asset": "PCF", "quantity": 1.5, "currency": "USDC", "chain": "base"}""");
    assertThat(fraction.statusCode()).as(fraction.body()).isEqualTo(400);
    assertThat(body(fraction).path("param").asString()).isEqualTo("quantity");

    JsonNode token = body(api.get("/v1/tokens/PCF", key));
    assertThat(token.path("venue").asString()).isEqualTo("private_credit");
    assertThat(token.path("asset_class").asString()).isEqualTo("private_credit");
    assertThat(body(api.get("/v1/tokens/UST10Y", key)).path("venue").asString())
        .isEqualTo("us_bonds");
  }

  @Test
  @Order(2)
  void venuesAndSessionsReadThroughTheApi() throws Exception {
    String key = sandbox.apiKey();
    JsonNode venues = body(api.get("/v1/venues", key)).path("data");
    assertThat(venues).hasSize(3);
    JsonNode pc = body(api.get("/v1/venues/private_credit", key));
    assertThat(pc.path("fractional").asBoolean()).isFalse();
    assertThat(pc.path("clearing").asString()).isEqualTo("monthly");
    assertThat(pc.path("open").asBoolean()).isFalse();
    assertThat(pc.at("/next_session/kind").asString()).isEqualTo("dealing");

    // Good Friday 2027: Thursday's post-market, then nothing until Sunday's overnight session.
    JsonNode easter =
        body(
            api.get(
                "/v1/venues/xnys/sessions?from=2027-03-25T20:00:00Z&to=2027-03-29T12:00:00Z", key));
    assertThat(easter.path("data"))
        .extracting(s -> s.path("kind").asString() + "@" + s.path("opens_at").asString())
        .containsExactly(
            "post_market@2027-03-25T20:00:00Z",
            "overnight@2027-03-29T00:00:00Z",
            "pre_market@2027-03-29T08:00:00Z");
    assertThat(body(api.get("/v1/venues/nasdaq", key)).path("code").asString())
        .isEqualTo("venue_not_found");
    assertThat(
            body(api.get(
                    "/v1/venues/xnys/sessions?from=2027-01-01T00:00:00Z&to=2027-06-01T00:00:00Z",
                    key))
                .path("code")
                .asString())
        .isEqualTo("invalid_request");
  }
}
