package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.ApiServer;
import dev.lockstep.api.auth.Scope;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.ports.Mode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 10,000 generated malformed or hostile requests (seeded, so a failure replays): bad JSON, wrong
 * types, huge and deeply nested values, injection strings, unsupported methods, bad headers, and
 * another tenant's ids with an attacker's key. None may answer 5xx and none may change stored data;
 * every error is problem+json.
 */
class HostileRequestsIT {
  private static final long SEED = Long.getLong("hostile.seed", 20261121L);
  private static final int REQUESTS = 10_000;

  /**
   * The stored state compared before and after (idempotency_keys is excluded: it caches the 4xx
   * answers).
   */
  private static final List<String> TABLES =
      List.of(
          "api.tenants",
          "api.api_keys",
          "api.customers",
          "api.attestations",
          "api.webhooks",
          "api.webhook_deliveries",
          "api.webhook_attempts",
          "api.events",
          "indexer.orders",
          "indexer.balances",
          "keeper.broker_legs",
          "keeper.tx_intents");

  private static Sandbox sandbox;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0, Path.of("target", "hostile-it"), 1, Clock.systemUTC(), Map.of());
    api = new ApiClient(sandbox.apiUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void tenThousandHostileRequestsGetNoServerErrorAndChangeNothing() throws Exception {
    // The victim: the sandbox tenant with a customer, a webhook with a delivery, a redeem and a
    // spare key.
    String victim = sandbox.apiKey();
    String customerId =
        body(api.post(
                "/v1/customers",
                victim,
                """
        {"external_id": "victim-1", "wallet": "%s"}"""
                    .formatted(DevAccounts.wallet(1).getAddress())))
            .get("id")
            .asString();
    String webhookId =
        body(api.post(
                "/v1/webhooks",
                victim,
                "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"redeem.created\"]}"))
            .get("id")
            .asString();
    String keyId =
        body(api.post("/v1/api_keys", victim, "{\"scope\": \"read\"}")).get("id").asString();
    long orderId = ContractFixtures.createRedeem(sandbox, DevAccounts.wallet(1), "AAPL", 1_000_000);
    String redeemId = "rdm_" + Sandbox.CHAIN_ID + "_" + orderId;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                body(api.get("/v1/webhooks/" + webhookId + "/deliveries", victim))
                        .get("data")
                        .size()
                    == 1);
    String deliveryId =
        body(api.get("/v1/webhooks/" + webhookId + "/deliveries", victim))
            .get("data")
            .get(0)
            .get("id")
            .asString();
    String eventId =
        body(api.get("/v1/events?type=redeem.created", victim))
            .get("data")
            .get(0)
            .get("id")
            .asString();
    // Let the keeper finish the redeem, and pause the dead endpoint's retries, so only requests
    // could change state.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                body(api.get("/v1/redeems/" + redeemId, victim))
                        .get("status")
                        .asString()
                        .equals("settled")
                    && count(
                            "SELECT count(*) FROM keeper.tx_intents WHERE status IN ('queued','submitted','mined')")
                        == 0);
    api.post("/v1/webhooks/" + webhookId, victim, "{\"enabled\": false}");
    Thread.sleep(1000);

    String attacker = sandbox.daemon().apiKeys().create("ten_attacker", Mode.TEST, Scope.FULL);
    String readOnly = sandbox.daemon().apiKeys().create("ten_attacker", Mode.TEST, Scope.READ);
    List<String> foreignIds = List.of(customerId, webhookId, keyId, redeemId, deliveryId, eventId);
    Map<String, String> before = snapshot();

    Generator gen = new Generator(foreignIds, List.of(attacker, readOnly));
    List<Generator.Request> requests = new ArrayList<>();
    Random random = new Random(SEED);
    for (int i = 0; i < REQUESTS; i++) {
      requests.add(gen.next(random));
    }
    ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> notProblems = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> resent = new ConcurrentLinkedQueue<>();
    Map<Integer, AtomicInteger> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int lane = t;
        running.add(
            pool.submit(
                () -> {
                  for (int i = lane; i < requests.size(); i += 4) {
                    Generator.Request r = requests.get(i);
                    try {
                      HttpResponse<String> answer;
                      try {
                        answer = api.send(r.method(), r.path(), null, r.body(), r.headers());
                      } catch (java.io.IOException e) {
                        // Jetty closes a connection after refusing a request it cannot parse (414,
                        // 431)
                        // without announcing it, so a pooled connection can be dead when reused:
                        // HTTP
                        // clients retry on a new one. Retried once; a second failure counts as an
                        // error.
                        resent.add(r + " (" + r.path().length() + " chars) -> " + e.getMessage());
                        answer = api.send(r.method(), r.path(), null, r.body(), r.headers());
                      }
                      statuses
                          .computeIfAbsent(answer.statusCode(), s -> new AtomicInteger())
                          .incrementAndGet();
                      if (answer.statusCode() < 400 && !r.method().equals("GET")) {
                        accepted.add(r + " -> " + answer.statusCode() + " " + answer.body());
                      }
                      if (answer.statusCode() >= 500) {
                        serverErrors.add(r + " -> " + answer.statusCode() + " " + answer.body());
                      } else if (answer.statusCode() >= 400
                          && !answer
                              .headers()
                              .firstValue("Content-Type")
                              .orElse("")
                              .startsWith("application/problem+json")) {
                        notProblems.add(r + " -> " + answer.statusCode() + " " + answer.body());
                      }
                    } catch (Exception e) {
                      serverErrors.add(r + " -> " + e);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.println(
        "hostile requests: answers by status "
            + statuses
            + "; resent after a closed connection: "
            + resent);
    assertThat(serverErrors).as("seed %d", SEED).isEmpty();
    assertThat(resent.size()).as("connection-level retries stay rare: %s", resent).isLessThan(10);
    assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(REQUESTS);
    assertThat(notProblems).as("seed %d", SEED).isEmpty();
    assertThat(accepted).as("every write is refused").isEmpty();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(
            count(
                "SELECT count(*) FROM api.idempotency_keys WHERE response_status < 400 OR response_status >= 500"))
        .isZero();
    // The attacker names the victim's wallet in a customer of its own, without proof: the wallet's
    // redeem, event and cancel still answer as for ids that do not exist.
    assertThat(
            api.post(
                    "/v1/customers",
                    attacker,
                    "{\"external_id\": \"stolen\", \"wallet\": \"%s\"}"
                        .formatted(DevAccounts.wallet(1).getAddress()))
                .statusCode())
        .isEqualTo(201);
    assertProblem(api.get("/v1/redeems/" + redeemId, attacker), 404, "redeem_not_found");
    assertProblem(
        api.post("/v1/redeems/" + redeemId + "/cancel", attacker, null), 404, "redeem_not_found");
    assertProblem(api.get("/v1/events/" + eventId, attacker), 404, "event_not_found");
    assertThat(
            body(api.get("/v1/redeems?wallet=" + DevAccounts.wallet(1).getAddress(), attacker))
                .get("data")
                .size())
        .isZero();
    // The victim still works as before.
    assertThat(body(api.get("/v1/customers/" + customerId, victim)).get("external_id").asString())
        .isEqualTo("victim-1");
  }

  private static Map<String, String> snapshot() throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(sandbox.databaseUrl())) {
      for (String table : TABLES) {
        try (ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "
                        + table
                        + " t")) {
          rs.next();
          out.put(table, rs.getString(1));
        }
      }
    }
    return out;
  }

  private static long count(String sql) throws Exception {
    return SandboxDb.count(sandbox, sql);
  }

  /** Builds hostile requests; none of them is a valid request of the attacker's own. */
  static final class Generator {
    private static final List<String> JUNK =
        List.of(
            "",
            " ",
            "'",
            "' OR '1'='1",
            "1; DROP TABLE api.customers; --",
            "../../../etc/passwd",
            "%00",
            "\u0000",
            "null",
            "undefined",
            "-1",
            "0",
            "99999999999999999999999",
            "1e309",
            "NaN",
            "<script>alert(1)</script>",
            "${jndi:ldap://x/y}",
            "\u202e\u0645\u0631\u062d\u0628\u0627",
            "rdm_8453_-1",
            "rdm_99999999999999999999_1",
            "rdm_1_1",
            "cus_" + "A".repeat(200),
            "x".repeat(5000),
            "0x" + "f".repeat(40),
            "0x" + "g".repeat(40),
            "*",
            "redeem.*",
            "🦄");
    private static final List<String> PARAMS =
        List.of(
            "limit",
            "starting_after",
            "ending_before",
            "wallet",
            "signal",
            "provider",
            "attested_after",
            "attestation.expires_before",
            "min_notional",
            "type",
            "status",
            "external_id");
    private static final List<String> BODIES =
        List.of(
            "{",
            "}",
            "[]",
            "[1,2,3]",
            "\"text\"",
            "42",
            "null",
            "true",
            "{\"a\":",
            "{\"external_id\": 5}",
            "{\"scope\": 1}",
            "{\"scope\": \"admin\"}",
            "{\"scope\": [\"full\"]}",
            "{\"url\": 12, \"events\": \"*\"}",
            "{\"url\": \"javascript:alert(1)\", \"events\": [\"*\"]}",
            "{\"url\": \"http://u:p@h/x\", \"events\": [\"*\"]}",
            "{\"url\": \"http://h/x\", \"events\": []}",
            "{\"url\": \"http://h/x\", \"events\": [\"DROP TABLE\"]}",
            "{\"enabled\": \"yes\"}",
            "{\"enabled\": 1}",
            "{\"from\": \"yesterday\", \"to\": \"today\"}",
            "{\"from\": 1, \"to\": 2}",
            "{\"external_id\": \"x\", \"wallet\": \"0x12\"}",
            "{\"external_id\": \"\", \"wallet\": null}",
            "{\"external_id\": \"x\", \"wallet\": \"0x"
                + "a".repeat(40)
                + "\", \"attestation\": {\"kind\": \"kyc\"}}",
            "{\"external_id\": \"x\", \"wallet\": \"0x"
                + "a".repeat(40)
                + "\", \"attestation\": []}",
            "{\"external_id\": \"x\", \"wallet\": \"0x"
                + "a".repeat(40)
                + "\", \"surprise\": true}",
            "{\"quantity\": 1e400}",
            "{\"n\": 123456789012345678901234567890123456789012345678901234567890}",
            "[".repeat(5000) + "]".repeat(5000),
            "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
            "{\"scope\": \"read\", \"scope\": \"full\"}",
            "{\"url\": \"http://h/x\", \"events\": [\"*\"], \"secret\": \"s\"}",
            "\u0000\u0001\u0002",
            "{\"external_id\": \"\\ud800\"}");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");

    private final List<String> foreignIds;
    private final List<String> keys;

    Generator(List<String> foreignIds, List<String> keys) {
      this.foreignIds = foreignIds;
      this.keys = keys;
    }

    record Request(String method, String path, String body, Map<String, String> headers) {
      @Override
      public String toString() {
        String b = body == null ? "" : body.length() > 80 ? body.substring(0, 80) + "..." : body;
        String p = path.length() > 120 ? path.substring(0, 120) + "..." : path;
        return method + " " + p + " " + b + " " + headers.keySet();
      }
    }

    /**
     * The routes drawn from: all but {@code POST /v1/sandbox/reset}, which takes nothing, so any
     * request to it is a valid reset of the attacker's own sandbox tenant (not hostile).
     */
    private static final List<ApiServer.Route> ROUTES =
        ApiServer.ROUTES.stream().filter(r -> !r.path().equals("/v1/sandbox/reset")).toList();

    Request next(Random r) {
      ApiServer.Route route = ROUTES.get(r.nextInt(ROUTES.size()));
      String method = r.nextInt(10) == 0 ? pick(r, METHODS) : route.method().name();
      String path = route.path();
      if (path.contains("{")) {
        // Every path parameter ({id}, {ticker}): another tenant's id or junk.
        String id = r.nextBoolean() ? pick(r, foreignIds) : pick(r, JUNK);
        path =
            path.replaceAll(
                "\\{[a-z_]+}",
                java.util.regex.Matcher.quoteReplacement(encode(id.isEmpty() ? "%20" : id)));
      } else if (r.nextInt(20) == 0) {
        path = path + "/" + encode(pick(r, JUNK) + "x");
      }
      StringBuilder query = new StringBuilder();
      int params = r.nextInt(4);
      for (int i = 0; i < params; i++) {
        String value = r.nextBoolean() ? pick(r, foreignIds) : pick(r, JUNK);
        query.append(i == 0 ? "?" : "&").append(pick(r, PARAMS)).append('=').append(encode(value));
      }
      Map<String, String> headers = new HashMap<>();
      int auth = r.nextInt(20);
      headers.put(
          "Authorization",
          switch (auth) {
            case 0 -> "Bearer";
            case 1 -> "Bearer sk_test_' OR 1=1 --";
            case 2 -> "Basic " + "YWRtaW46YWRtaW4=";
            case 3 -> "Bearer sk_live_" + "A".repeat(32);
            default -> "Bearer " + pick(r, keys);
          });
      if (r.nextInt(3) == 0) {
        headers.put(
            "Idempotency-Key",
            r.nextBoolean() ? "hostile-" + r.nextInt(50) : encode(pick(r, JUNK)) + "!");
      }
      String body = null;
      if (!method.equals("GET") && !method.equals("DELETE")) {
        body = pick(r, BODIES);
        if (r.nextInt(8) == 0) {
          headers.put(
              "Content-Type",
              pick(
                  r,
                  List.of(
                      "text/plain",
                      "application/xml",
                      "application/json; charset=ebcdic",
                      "multipart/form-data")));
        }
      }
      return new Request(method, path + query, body, headers);
    }

    private static <T> T pick(Random r, List<T> from) {
      return from.get(r.nextInt(from.size()));
    }

    private static String encode(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
  }
}
