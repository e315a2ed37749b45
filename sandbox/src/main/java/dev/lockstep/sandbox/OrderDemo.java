package dev.lockstep.sandbox;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The quickstart, driven through the API alone as an integrator would (README "Quickstart"): quote
 * and mint 10 AAPL on base from the sandbox tenant's settlement wallet, see it settled and in
 * positions; redeem 4 of it to USDT and see the payout land; then a redeem of 3 whose broker leg is
 * made to fail ends {@code failed} ({@code broker_rejected}) with the 3 AAPL back; then a limit
 * sell of 2 at 200 waits {@code queued} below its limit and settles once the simulated mark crosses
 * it; then an OCO pair of 2 (stop 150, take-profit 195) whose take-profit fills once the mark's 30
 * s TWAP reaches it, its stop leg cancelled on chain in the same transaction. Prints every request
 * and answer; {@link #run} is true only if every check holds.
 */
public final class OrderDemo {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Sandbox sandbox;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();
  private final String run = Long.toString(System.nanoTime(), 36);
  private boolean ok = true;

  public OrderDemo(Sandbox sandbox, PrintStream out) {
    this.sandbox = sandbox;
    this.out = out;
  }

  /** Runs the scenario; true if every check held. */
  public boolean run() throws Exception {
    step("the sandbox tenant's settlement wallet");
    JsonNode wallets = get("/v1/settlement_wallets");
    String wallet = wallets.at("/data/0/address").asString();
    check("a settlement wallet is listed", wallet.startsWith("0x"));
    BigInteger usdtBefore = balance(wallets, "base", "USDT");

    step("quote, then mint 10 AAPL on base paid in USDC");
    JsonNode quote =
        post(
            "/v1/quotes",
            """
            {"side": "mint", "asset": "AAPL", "quantity": 10, "currency": "USDC", "chain": "base",
             "slippage_bps": 100}""");
    check("the quote has an expiry", quote.path("expires_at").isString());
    JsonNode mint =
        post(
            "/v1/mints",
            """
            {"asset": "AAPL", "quantity": 10, "settlement": {"currency": "USDC", "chain": "base"},
             "quote_id": "%s"}"""
                .formatted(quote.path("id").asString()));
    String mintId = mint.path("id").asString();
    check("the mint is on chain as " + mintId, mintId.startsWith("mnt_8453_"));
    JsonNode settled = await("/v1/mints/" + mintId, m -> status(m, "settled"));
    check("mint " + mintId + " is settled", status(settled, "settled"));
    check(
        "the settle tx is on the mint",
        settled.at("/settlement/tx_hash").asString("").startsWith("0x"));
    JsonNode position =
        await(
            "/v1/positions/AAPL?wallet=" + wallet,
            p -> "10.000000".equals(p.path("quantity").asString()));
    check(
        "the wallet's AAPL position is 10",
        "10.000000".equals(position.path("quantity").asString()));

    step("redeem 4 of it to USDT");
    JsonNode redeem =
        post(
            "/v1/redeems",
            """
            {"position_id": "%s", "quantity": 4, "payout": {"currency": "USDT"}, "slippage_bps": 100}"""
                .formatted(mintId));
    String redeemId = redeem.path("id").asString();
    JsonNode paid = await("/v1/redeems/" + redeemId, r -> status(r, "settled"));
    check("redeem " + redeemId + " is settled", status(paid, "settled"));
    BigInteger payout = units(paid.at("/payout/amount").asString("0"));
    check(
        "payout >= the minimum",
        payout.compareTo(units(paid.at("/payout/min_notional").asString())) >= 0);
    position =
        await(
            "/v1/positions/AAPL?wallet=" + wallet,
            p -> "6.000000".equals(p.path("quantity").asString()));
    check(
        "the wallet's AAPL position is 6", "6.000000".equals(position.path("quantity").asString()));
    JsonNode after =
        await(
            "/v1/settlement_wallets",
            w -> balance(w, "base", "USDT").equals(usdtBefore.add(payout)));
    check(
        "the wallet's USDT on base grew by the payout (" + new BigDecimal(payout, 6) + ")",
        balance(after, "base", "USDT").equals(usdtBefore.add(payout)));

    step("make the broker reject the next AAPL leg, then redeem 3");
    sandbox.daemon().broker().injectFailure("AAPL", 1, "broker_rejected");
    JsonNode rejected =
        post(
            "/v1/redeems",
            """
            {"asset": "AAPL", "quantity": 3, "payout": {"currency": "USDC", "chain": "base"}}""");
    String rejectedId = rejected.path("id").asString();
    JsonNode failed = await("/v1/redeems/" + rejectedId, r -> status(r, "failed"));
    check("redeem " + rejectedId + " failed", status(failed, "failed"));
    check(
        "its failure_reason is broker_rejected",
        "broker_rejected".equals(failed.path("failure_reason").asString()));
    position =
        await(
            "/v1/positions/AAPL?wallet=" + wallet,
            p -> "6.000000".equals(p.path("quantity").asString()));
    check(
        "the 3 AAPL are back: position is 6",
        "6.000000".equals(position.path("quantity").asString()));
    JsonNode events =
        await(
            "/v1/events?type=redeem.failed",
            e -> e.toString().contains("\"redeem_id\":\"" + rejectedId + "\""));
    check(
        "a redeem.failed event names " + rejectedId + " and broker_rejected",
        events.toString().contains("\"redeem_id\":\"" + rejectedId + "\"")
            && events.toString().contains("\"failure_reason\":\"broker_rejected\""));
    step(
        "a limit sell: redeem 2 AAPL at no less than 200 (the mark is 187.42), then the mark crosses");
    JsonNode limit =
        post(
            "/v1/redeems",
            """
            {"asset": "AAPL", "quantity": 2, "payout": {"currency": "USDC", "chain": "base"},
             "limit_price": 200, "good_till": "%s"}"""
                .formatted(Instant.now().plus(Duration.ofHours(1))));
    String limitId = limit.path("id").asString();
    check("the redeem is a limit order", "limit".equals(limit.path("order_type").asString()));
    Thread.sleep(2_000);
    check(
        "below its limit, " + limitId + " waits queued",
        status(get("/v1/redeems/" + limitId), "queued"));
    out.println("  (the sandbox's simulated feed moves AAPL's mark to 201.50)");
    sandbox.daemon().prices().publish("AAPL", new BigDecimal("201.50"));
    try {
      JsonNode filledAtLimit = await("/v1/redeems/" + limitId, r -> status(r, "settled"));
      check("limit redeem " + limitId + " settled", status(filledAtLimit, "settled"));
      String gross = filledAtLimit.at("/payout/gross_notional").asString("0");
      check(
          "at a gross of " + gross + ", at least 2 x 200",
          new BigDecimal(gross).compareTo(new BigDecimal("400")) >= 0);
    } finally {
      sandbox.daemon().prices().publish("AAPL", new BigDecimal("187.42"));
    }
    step(
        "an OCO pair: sell 2 AAPL at a stop of 150 or a take-profit of 195, whichever comes first");
    JsonNode stopLeg =
        post(
            "/v1/redeems",
            """
            {"asset": "AAPL", "quantity": 2, "payout": {"currency": "USDC", "chain": "base"},
             "order_type": "oco", "stop_price": 150, "take_profit_price": 195}""");
    String stopId = stopLeg.path("id").asString();
    String takeId = stopLeg.at("/trigger/oco_peer_id").asString();
    check(
        "both legs are armed over one lock: " + stopId + " and " + takeId,
        status(stopLeg, "armed") && status(get("/v1/redeems/" + takeId), "armed"));
    out.println(
        "  (the simulated feed moves AAPL to 196 and the sandbox clock a minute on, so the 30 s"
            + " TWAP sees it)");
    sandbox.daemon().prices().publish("AAPL", new BigDecimal("196"));
    try {
      post("/v1/sandbox/clock", "{\"advance\": \"PT1M\"}");
      JsonNode tookProfit = await("/v1/redeems/" + takeId, r -> status(r, "settled"));
      check("the take-profit leg " + takeId + " settled", status(tookProfit, "settled"));
      check(
          "the stop leg " + stopId + " was cancelled on chain with it",
          status(await("/v1/redeems/" + stopId, r -> status(r, "cancelled")), "cancelled"));
      String named = "\"order_id\":" + tookProfit.path("order_id").asLong();
      JsonNode triggered =
          await("/v1/events?type=order.triggered", e -> e.toString().contains(named));
      check(
          "an order.triggered event names the take-profit leg",
          triggered.toString().contains(named));
    } finally {
      sandbox.daemon().prices().publish("AAPL", new BigDecimal("187.42"));
    }
    get("/v1/mints");
    get("/v1/redeems");
    return ok;
  }

  private static boolean status(JsonNode order, String status) {
    return status.equals(order.path("status").asString());
  }

  private static BigInteger units(String decimal) {
    return new BigDecimal(decimal).movePointRight(6).toBigIntegerExact();
  }

  private static BigInteger balance(JsonNode wallets, String chain, String currency) {
    for (JsonNode b : wallets.at("/data/0/balances")) {
      if (chain.equals(b.path("chain").asString())
          && currency.equals(b.path("currency").asString())) {
        return units(b.path("amount").asString());
      }
    }
    return BigInteger.ZERO;
  }

  private JsonNode await(String path, Predicate<JsonNode> done) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = fetch(path);
      if (done.test(last)) {
        break;
      }
      Thread.sleep(250);
    }
    out.println("  GET " + path + "\n  -> " + last);
    return Objects.requireNonNull(last);
  }

  private JsonNode get(String path) throws Exception {
    JsonNode answer = fetch(path);
    out.println("  GET " + path + "\n  -> " + answer);
    return answer;
  }

  private JsonNode fetch(String path) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(sandbox.apiUrl() + path))
            .header("Authorization", "Bearer " + sandbox.apiKey())
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    return json.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
  }

  /** POSTs {@code body} with an Idempotency-Key of its own; the answer must be a 2xx. */
  private JsonNode post(String path, String body) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(sandbox.apiUrl() + path))
            .header("Authorization", "Bearer " + sandbox.apiKey())
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", "demo-" + run + "-" + path + "-" + body.hashCode())
            .timeout(Duration.ofSeconds(40))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    out.println(
        "  POST "
            + path
            + " "
            + body.replaceAll("\\s+", " ")
            + "\n  -> "
            + r.statusCode()
            + " "
            + r.body());
    check("POST " + path + " answered " + r.statusCode(), r.statusCode() / 100 == 2);
    return json.readTree(r.body());
  }

  private void step(String what) {
    out.println("== " + what);
  }

  private void check(String what, boolean holds) {
    out.println((holds ? "  ok   " : "  FAIL ") + what);
    ok &= holds;
  }
}
