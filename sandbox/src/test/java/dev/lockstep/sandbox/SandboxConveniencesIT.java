package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.daemon.DaemonConfig;
import dev.lockstep.keeper.venue.ExchangeCalendar;
import dev.lockstep.ports.ShiftableClock;
import dev.lockstep.ports.VenueCalendar;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/sandbox/clock} moves the sandbox's clock and every chain's block time together: a
 * quote made before a move has expired after it, the venues answer for the moved time, and the
 * chains' next blocks carry it.
 */
class SandboxConveniencesIT {
  private static Sandbox sandbox;
  private static ApiClient api;
  private static final VenueCalendar CALENDAR =
      ExchangeCalendar.fromSettings(Sandbox.CALENDAR_SETTINGS);

  @BeforeAll
  static void start() {
    sandbox =
        Sandbox.start(
            0,
            Path.of("target", "sandbox-conveniences-it"),
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

  @Test
  void advancingMovesTheDaemonAndEveryChainAndExpiriesFire() throws Exception {
    String key = sandbox.apiKey();
    JsonNode before = body(api.get("/v1/sandbox/clock", key));
    assertThat(before.path("offset").asString()).isEqualTo("PT0S");
    assertThat(before.path("chains")).hasSize(3);

    // A quote holds 30 s; a mint that references it after the move is refused as expired.
    HttpResponse<String> quote =
        api.post(
            "/v1/quotes",
            key,
            """
            {"side": "mint", "asset": "AAPL", "quantity": 1, "currency": "USDC", "chain": "base"}""");
    assertThat(quote.statusCode()).as(quote.body()).isEqualTo(201);
    String quoteId = body(quote).path("id").asString();

    for (String bad : new String[] {"\"P31D\"", "\"-PT1H\"", "\"PT0S\"", "\"two days\"", "null"}) {
      HttpResponse<String> r = api.post("/v1/sandbox/clock", key, "{\"advance\": " + bad + "}");
      assertProblem(r, 400, "invalid_request");
      assertThat(body(r).path("param").asString()).isEqualTo("advance");
    }

    // An Idempotency-Key replays the answer and does not move the clock again (a key is kept 24
    // hours of sandbox time, so this move stays within them).
    HttpResponse<String> six =
        api.post("/v1/sandbox/clock", key, "{\"advance\": \"PT6H\"}", "clock-move-1");
    assertThat(six.statusCode()).as(six.body()).isEqualTo(200);
    assertThat(body(six).path("offset").asString()).isEqualTo("PT6H");
    HttpResponse<String> replay =
        api.post("/v1/sandbox/clock", key, "{\"advance\": \"PT6H\"}", "clock-move-1");
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(body(api.get("/v1/sandbox/clock", key)).path("offset").asString()).isEqualTo("PT6H");

    // Six hours on, the quote has expired (it is purged a day after).
    HttpResponse<String> late =
        api.post(
            "/v1/mints",
            key,
            "{\"asset\": \"AAPL\", \"quantity\": 1, \"settlement\": {\"currency\": \"USDC\","
                + " \"chain\": \"base\"}, \"quote_id\": \""
                + quoteId
                + "\"}",
            "late-mint-1");
    assertProblem(late, 422, "quote_expired");

    Instant real = Instant.now();
    HttpResponse<String> moved = api.post("/v1/sandbox/clock", key, "{\"advance\": \"P2D\"}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    JsonNode clock = body(moved);
    assertThat(clock.path("offset").asString()).isEqualTo("PT54H");
    Duration ahead = Duration.ofHours(54);
    Instant now = Instant.parse(clock.path("now").asString());
    assertThat(now).isBetween(real.plus(ahead), Instant.now().plus(ahead));
    for (JsonNode c : clock.path("chains")) {
      // Each chain mined a block at the moved time.
      assertThat(Instant.parse(c.path("block_timestamp").asString()))
          .as(c.toString())
          .isAfterOrEqualTo(real.plus(ahead).minusSeconds(2));
    }

    // The venues answer for the moved time: the session open then, or the next to open.
    Instant at = Instant.parse(body(api.get("/v1/sandbox/clock", key)).path("now").asString());
    JsonNode xnys = body(api.get("/v1/venues/xnys", key));
    VenueCalendar.Session expected = CALENDAR.nextSession("xnys", at).orElseThrow();
    if (expected.equals(CALENDAR.nextSession("xnys", at.plusSeconds(5)).orElseThrow())) {
      JsonNode shown =
          xnys.path(xnys.path("open").asBoolean() ? "current_session" : "next_session");
      assertThat(Instant.parse(shown.path("opens_at").asString())).isEqualTo(expected.opensAt());
      assertThat(expected).isNotEqualTo(CALENDAR.nextSession("xnys", Instant.now()).orElseThrow());
    }
  }

  /**
   * {@code X-Lockstep-Clock} moves one request only: a wallet challenge proven with {@code +11m} is
   * refused as expired and, without the header, accepted; a venue read with {@code +7d} answers for
   * that time, and the next request is back on the sandbox's time.
   */
  @Test
  void theClockHeaderMovesOneRequestOnly() throws Exception {
    String key = sandbox.apiKey();
    for (String bad : new String[] {"-1d", "+31d", "soon", "P-1D"}) {
      HttpResponse<String> r =
          api.send("GET", "/v1/venues/xnys", key, null, Map.of("X-Lockstep-Clock", bad));
      assertProblem(r, 400, "invalid_request");
      assertThat(body(r).path("param").asString()).isEqualTo("X-Lockstep-Clock");
    }

    Instant sandboxNow =
        Instant.parse(body(api.get("/v1/sandbox/clock", key)).path("now").asString());
    HttpResponse<String> week =
        api.send("GET", "/v1/venues/xnys", key, null, Map.of("X-Lockstep-Clock", "+7d"));
    assertThat(week.statusCode()).as(week.body()).isEqualTo(200);
    Instant shifted =
        Instant.parse(week.headers().firstValue("X-Lockstep-Clock-Now").orElseThrow());
    assertThat(Duration.between(sandboxNow, shifted))
        .isBetween(Duration.ofDays(7), Duration.ofDays(7).plusSeconds(10));
    VenueCalendar.Session expected = CALENDAR.nextSession("xnys", shifted).orElseThrow();
    if (expected.equals(CALENDAR.nextSession("xnys", shifted.plusSeconds(5)).orElseThrow())) {
      JsonNode v = body(week);
      JsonNode shown = v.path(v.path("open").asBoolean() ? "current_session" : "next_session");
      assertThat(Instant.parse(shown.path("opens_at").asString())).isEqualTo(expected.opensAt());
    }
    assertThat(api.get("/v1/venues/xnys", key).headers().firstValue("X-Lockstep-Clock-Now"))
        .isEmpty();

    var holder = org.web3j.crypto.Credentials.create(org.web3j.crypto.Keys.createEcKeyPair());
    String wallet = holder.getAddress();
    HttpResponse<String> challenge =
        api.post("/v1/wallet_challenges", key, "{\"wallet\": \"" + wallet + "\"}");
    assertThat(challenge.statusCode()).as(challenge.body()).isEqualTo(201);
    String signature =
        dev.lockstep.holder.HolderSigning.signChallenge(challenge.body(), holder.getEcKeyPair());
    String proof =
        "{\"challenge_id\": \""
            + body(challenge).path("id").asString()
            + "\", \"signature\": \""
            + signature
            + "\"}";
    assertProblem(
        api.send("POST", "/v1/wallet_links", key, proof, Map.of("X-Lockstep-Clock", "+11m")),
        422,
        "wallet_challenge_expired");
    HttpResponse<String> linked = api.post("/v1/wallet_links", key, proof);
    assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);
  }

  /**
   * {@code X-Lockstep-Error} makes a mutating request fail with that documented error and its full
   * body, before anything is done (no mint is created); the same Idempotency-Key replays it; a GET
   * ignores it; an unknown code is refused.
   */
  @Test
  void injectedErrorsFailDeterministicallyWithTheirFullBody() throws Exception {
    String key = sandbox.apiKey();
    String mint =
        """
        {"asset": "AAPL", "quantity": 10, "settlement": {"currency": "USDC", "chain": "base"}}""";
    int mints = body(api.get("/v1/mints?limit=100", key)).path("data").size();
    java.util.Map<String, String> headers =
        java.util.Map.of(
            "X-Lockstep-Error", "insufficient_funds", "Idempotency-Key", "injected-funds-1");
    HttpResponse<String> r = api.send("POST", "/v1/mints", key, mint, headers);
    assertProblem(r, 422, "insufficient_funds");
    JsonNode p = body(r);
    assertThat(p.path("injected").asBoolean()).isTrue();
    assertThat(p.path("required_usdc").asString()).isEqualTo("1874.200000");
    assertThat(p.path("shortfall_usdc").asString()).isEqualTo("874.200000");
    HttpResponse<String> replay = api.send("POST", "/v1/mints", key, mint, headers);
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThat(replay.body()).isEqualTo(r.body());

    HttpResponse<String> guard =
        api.send(
            "POST",
            "/v1/mints",
            key,
            mint,
            java.util.Map.of("X-Lockstep-Error", "guardrail_triggered"));
    assertProblem(guard, 422, "guardrail_triggered");
    assertThat(body(guard).path("limit").asString())
        .isEqualTo("mint_max_notional_per_address_per_block");
    assertThat(guard.headers().firstValue("Retry-After")).contains("12");

    HttpResponse<String> unknown =
        api.send("POST", "/v1/mints", key, mint, java.util.Map.of("X-Lockstep-Error", "ltv_maybe"));
    assertProblem(unknown, 400, "invalid_request");
    assertThat(body(unknown).path("param").asString()).isEqualTo("X-Lockstep-Error");
    assertThat(
            api.send(
                    "GET",
                    "/v1/venues",
                    key,
                    null,
                    java.util.Map.of("X-Lockstep-Error", "insufficient_funds"))
                .statusCode())
        .isEqualTo(200);
    assertThat(body(api.get("/v1/mints?limit=100", key)).path("data").size()).isEqualTo(mints);
  }

  /**
   * {@code POST /v1/sandbox/reset} cancels the tenant's open orders, deletes its customers,
   * webhooks and quotes, and tops its settlement wallet back to the opening grant: after the
   * resting order's refund, exactly 1,000,000 USDC on base.
   */
  @Test
  void resetClearsTheTenantsStateAndRestoresTheGrant() throws Exception {
    String key = sandbox.apiKey();
    assertThat(
            api.post(
                    "/v1/customers",
                    key,
                    "{\"external_id\": \"reset-1\", \"wallet\": \"0x" + "ab".repeat(20) + "\"}")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            api.post(
                    "/v1/webhooks",
                    key,
                    "{\"url\": \"https://example.com/hook\", \"events\": [\"*\"]}")
                .statusCode())
        .isEqualTo(201);
    String goodTill = Instant.now().plus(Duration.ofDays(5)).toString();
    HttpResponse<String> resting =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "settlement": {"currency": "USDC", "chain": "base"},
             "limit_price": 1, "good_till": "%s"}"""
                .formatted(goodTill),
            "reset-resting-mint");
    assertThat(resting.statusCode()).as(resting.body()).isEqualTo(201);
    String mintId = body(resting).path("id").asString();

    HttpResponse<String> reset = api.post("/v1/sandbox/reset", key, null, "reset-1");
    assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
    JsonNode r = body(reset);
    assertThat(r.at("/cleared/customers").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(r.at("/cleared/webhooks").asInt()).isEqualTo(1);
    assertThat(r.path("orders_cancelled").toString()).contains(mintId);
    assertThat(body(api.get("/v1/customers", key)).path("data").size()).isZero();
    assertThat(body(api.get("/v1/webhooks", key)).path("data").size()).isZero();
    // The Idempotency-Key of the reset itself survives it: a retry replays the answer.
    assertThat(
            api.post("/v1/sandbox/reset", key, null, "reset-1")
                .headers()
                .firstValue("Idempotent-Replayed"))
        .contains("true");

    api.awaitStatus("/v1/mints/" + mintId, key, "cancelled");
    // Base's USDC: below the grant while the order was locked, exactly the grant after its refund.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> baseUsdc(key).equals("1000000.000000"));
  }

  private static String baseUsdc(String key) throws Exception {
    for (JsonNode b : body(api.get("/v1/settlement_wallets", key)).at("/data/0/balances")) {
      if (b.path("chain").asString().equals("base")
          && b.path("currency").asString().equals("USDC")) {
        return b.path("amount").asString();
      }
    }
    return "";
  }
}
