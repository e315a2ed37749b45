package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.ApiServer;
import dev.lockstep.api.auth.Scope;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.ports.Mode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The v1 conventions against the real daemon (sandbox: real anvil chains, real PostgreSQL) on a
 * clock the tests move: authentication, key rotation and revocation, tenant isolation,
 * Idempotency-Key, cursor pagination under concurrent inserts, strict bodies and problem+json,
 * customer queries, NAV staleness, the event stream and the OpenAPI document.
 */
class ApiConventionsIT {
  private static final MovableClock clock = new MovableClock();
  private static Sandbox sandbox;
  private static ApiClient api;
  private static String key;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0, Path.of("target", "api-conventions-it"), 1, clock, Map.of());
    api = new ApiClient(sandbox.apiUrl());
    key = sandbox.apiKey();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static String tenantKey(String tenant) {
    return sandbox.daemon().apiKeys().create(tenant, Mode.TEST, Scope.FULL);
  }

  private static String customerBody(String externalId, String wallet, String extra) {
    return """
        {"external_id": "%s", "wallet": "%s", "attestation": {"kind": "kyc", "provider": "sumsub",
         "vendor_reference": "SUM-%s", "attested_at": "2026-01-15T10:00:00Z", "expires_at": "2028-01-15T10:00:00Z",
         "signals": ["document_verified", "sanctions_clear"],
         "attestation_hash": "0x%s"%s}}"""
        .formatted(externalId, wallet, externalId, "ab".repeat(32), extra);
  }

  private static long count(String sql) throws Exception {
    return SandboxDb.count(sandbox, sql);
  }

  @Test
  void missingUnknownRevokedAndWrongEnvironmentKeysAreRefused() throws Exception {
    assertProblem(api.get("/v1/tokens", null), 401, "unauthorized");
    assertProblem(api.get("/v1/tokens", "sk_test_" + "x".repeat(32)), 401, "unauthorized");
    String live = sandbox.daemon().apiKeys().create("ten_conv_env", Mode.LIVE, Scope.FULL);
    assertProblem(api.get("/v1/tokens", live), 403, "key_lacks_live_scope");
    String read = sandbox.daemon().apiKeys().create("ten_conv_env", Mode.TEST, Scope.READ);
    assertThat(api.get("/v1/customers", read).statusCode()).isEqualTo(200);
    assertProblem(
        api.post("/v1/customers", read, customerBody("r1", DevAccounts.wallet(5).getAddress(), "")),
        403,
        "forbidden");
  }

  @Test
  void noApiKeySecretRestsInAnyColumnOfAnyTableEvenWhenCreatedWithAnIdempotencyKey()
      throws Exception {
    String admin = tenantKey("ten_conv_sealed");
    HttpResponse<String> first =
        api.post("/v1/api_keys", admin, "{\"scope\": \"full\"}", "sealed-create-1");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    String secret = body(first).get("secret").asString();
    HttpResponse<String> rotated =
        api.post(
            "/v1/api_keys/" + body(first).get("id").asString() + "/rotate",
            admin,
            null,
            "sealed-rotate-1");
    String successor = body(rotated).get("secret").asString();

    // The same key replays both answers verbatim, secrets included.
    HttpResponse<String> replay =
        api.post("/v1/api_keys", admin, "{\"scope\": \"full\"}", "sealed-create-1");
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(
            api.post(
                    "/v1/api_keys/" + body(first).get("id").asString() + "/rotate",
                    admin,
                    null,
                    "sealed-rotate-1")
                .body())
        .isEqualTo(rotated.body());
    // Another key of the same tenant cannot open the stored answer.
    assertProblem(
        api.post("/v1/api_keys", secret, "{\"scope\": \"full\"}", "sealed-create-1"),
        409,
        "idempotency_mismatch");

    for (String s : List.of(secret, successor)) {
      String tail = s.substring("sk_test_".length());
      String hex = java.util.HexFormat.of().formatHex(tail.getBytes(StandardCharsets.UTF_8));
      List<String> tables = allTables();
      assertThat(tables).contains("api.api_keys", "api.idempotency_keys", "indexer.transfers");
      for (String table : tables) {
        assertThat(
                count(
                    "SELECT count(*) FROM "
                        + table
                        + " t WHERE t::text LIKE '%"
                        + tail
                        + "%' OR t::text LIKE '%"
                        + hex
                        + "%'"))
            .as("the secret in a row of " + table)
            .isZero();
      }
    }
  }

  /** Every table of every schema of the sandbox's database, as {@code schema.table}. */
  private static List<String> allTables() throws Exception {
    List<String> out = new java.util.ArrayList<>();
    try (var c = java.sql.DriverManager.getConnection(sandbox.databaseUrl());
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT table_schema || '.' || table_name FROM information_schema.tables"
                        + " WHERE table_type = 'BASE TABLE'"
                        + " AND table_schema NOT IN ('pg_catalog', 'information_schema')")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void rotatedKeyWorksForFiveMinutesAndARevokedKeyAtOnceStopsWorking() throws Exception {
    String admin = tenantKey("ten_conv_keys");
    JsonNode created = body(api.post("/v1/api_keys", admin, "{\"scope\": \"read\"}"));
    String old = created.get("secret").asString();
    assertThat(old).startsWith("sk_test_");
    assertThat(created.get("prefix").asString()).isEqualTo(old.substring(0, 12));
    assertThat(
            count(
                "SELECT count(*) FROM api.api_keys t WHERE t::text LIKE '%"
                    + old.substring(8)
                    + "%'"))
        .as("the secret is in no column, only its hash")
        .isZero();
    assertThat(api.get("/v1/customers", old).statusCode()).isEqualTo(200);

    HttpResponse<String> rotated =
        api.post("/v1/api_keys/" + created.get("id").asString() + "/rotate", admin, null);
    assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
    String successor = body(rotated).get("secret").asString();
    assertThat(body(rotated).get("scope").asString()).isEqualTo("read");
    assertThat(api.get("/v1/customers", successor).statusCode()).isEqualTo(200);
    assertThat(api.get("/v1/customers", old).statusCode())
        .as("old key within the grace")
        .isEqualTo(200);
    assertProblem(
        api.post("/v1/api_keys/" + created.get("id").asString() + "/rotate", admin, null),
        409,
        "api_key_not_rotatable");

    clock.advance(Duration.ofMinutes(5).plusSeconds(5));
    assertProblem(api.get("/v1/customers", old), 401, "unauthorized");
    assertThat(api.get("/v1/customers", successor).statusCode()).isEqualTo(200);

    HttpResponse<String> revoked =
        api.post("/v1/api_keys/" + body(rotated).get("id").asString() + "/revoke", admin, null);
    assertThat(body(revoked).get("revoked_at").asString()).isNotBlank();
    assertProblem(api.get("/v1/customers", successor), 401, "unauthorized");
  }

  @Test
  void anotherTenantCanNeitherReadNorChangeThisTenantsRows() throws Exception {
    String mine = tenantKey("ten_conv_a");
    String theirs = tenantKey("ten_conv_b");
    String wallet = DevAccounts.wallet(0).getAddress();
    JsonNode customer = body(api.post("/v1/customers", mine, customerBody("iso-1", wallet, "")));
    String customerId = customer.get("id").asString();
    JsonNode hook =
        body(
            api.post(
                "/v1/webhooks", mine, "{\"url\": \"http://127.0.0.1:9/x\", \"events\": [\"*\"]}"));
    String hookId = hook.get("id").asString();
    String keyId = body(api.get("/v1/api_keys", mine)).get("data").get(0).get("id").asString();

    assertProblem(api.get("/v1/customers/" + customerId, theirs), 404, "customer_not_found");
    assertThat(body(api.get("/v1/customers", theirs)).get("data").size()).isZero();
    assertThat(body(api.get("/v1/positions?wallet=" + wallet, theirs)).get("data").size()).isZero();
    assertThat(body(api.get("/v1/positions", theirs)).get("data").size()).isZero();
    assertThat(body(api.get("/v1/redeems?wallet=" + wallet, theirs)).get("data").size()).isZero();
    assertProblem(api.get("/v1/webhooks/" + hookId, theirs), 404, "webhook_not_found");
    assertProblem(
        api.post("/v1/webhooks/" + hookId, theirs, "{\"enabled\": false}"),
        404,
        "webhook_not_found");
    assertProblem(
        api.post("/v1/api_keys/" + keyId + "/revoke", theirs, null), 404, "api_key_not_found");
    assertProblem(
        api.get("/v1/customers?starting_after=" + customerId, theirs), 400, "invalid_request");
    assertThat(body(api.get("/v1/webhooks/" + hookId, mine)).get("enabled").asBoolean()).isTrue();
    assertThat(api.get("/v1/customers", mine).statusCode()).as("key not revoked").isEqualTo(200);
    assertThat(body(api.get("/v1/customers/" + customerId, mine)).get("external_id").asString())
        .isEqualTo("iso-1");
  }

  @Test
  void idempotencyKeyReplaysTheFirstAnswerVerbatimAndRefusesAnotherBody() throws Exception {
    String k = tenantKey("ten_conv_idem");
    String body = customerBody("idem-1", DevAccounts.wallet(1).getAddress(), "");
    HttpResponse<String> first = api.post("/v1/customers", k, body, "idem-key-1");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    HttpResponse<String> again = api.post("/v1/customers", k, body, "idem-key-1");
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
    String customerId = body(first).get("id").asString();
    assertThat(
            count("SELECT count(*) FROM api.attestations WHERE customer_id = '" + customerId + "'"))
        .isEqualTo(1);

    JsonNode mismatch =
        assertProblem(
            api.post("/v1/customers", k, body.replace("idem-1", "idem-2"), "idem-key-1"),
            409,
            "idempotency_mismatch");
    assertThat(mismatch.get("original_request_id").asString())
        .isEqualTo(first.headers().firstValue("X-Request-Id").orElseThrow());
    assertProblem(
        api.post("/v1/customers", k, body, "bad key with spaces"), 400, "invalid_request");

    // After 24 hours the key is forgotten: the same request runs again.
    clock.advance(Duration.ofHours(24).plusMinutes(1));
    assertThat(
            api.post("/v1/customers", k, body, "idem-key-1")
                .headers()
                .firstValue("Idempotent-Replayed"))
        .isEmpty();
    assertThat(
            count("SELECT count(*) FROM api.attestations WHERE customer_id = '" + customerId + "'"))
        .isEqualTo(2);
  }

  @Test
  void concurrentRetriesWithOneIdempotencyKeyRunTheRequestOnce() throws Exception {
    String k = tenantKey("ten_conv_race");
    String body = customerBody("race-1", DevAccounts.wallet(2).getAddress(), "");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(() -> api.post("/v1/customers", k, body, "race-key"));
      }
      Set<String> successBodies = new HashSet<>();
      for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
        HttpResponse<String> r = f.get();
        if (r.statusCode() == 201) {
          successBodies.add(r.body());
        } else {
          assertProblem(r, 409, "idempotency_in_progress");
        }
      }
      assertThat(successBodies).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            count(
                "SELECT count(*) FROM api.attestations a JOIN api.customers c ON c.id = a.customer_id "
                    + "WHERE c.tenant_id = 'ten_conv_race'"))
        .isEqualTo(1);
  }

  @Test
  void pagesNeitherRepeatNorSkipWhileNewObjectsAreInserted() throws Exception {
    String k = tenantKey("ten_conv_page");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(
          0,
          body(api.post(
                  "/v1/customers",
                  k,
                  customerBody("page-" + i, DevAccounts.wallet(i).getAddress(), "")))
              .get("id")
              .asString());
    }
    JsonNode p1 = body(api.get("/v1/customers?limit=3", k));
    assertThat(p1.get("has_more").asBoolean()).isTrue();
    List<String> seen = new ArrayList<>(ids(p1));
    assertThat(p1.get("next_cursor").asString()).isEqualTo(seen.getLast());
    api.post(
        "/v1/customers", k, customerBody("page-new-1", DevAccounts.wallet(0).getAddress(), ""));
    JsonNode p2 =
        body(
            api.get("/v1/customers?limit=3&starting_after=" + p1.get("next_cursor").asString(), k));
    seen.addAll(ids(p2));
    api.post(
        "/v1/customers", k, customerBody("page-new-2", DevAccounts.wallet(1).getAddress(), ""));
    JsonNode p3 =
        body(
            api.get("/v1/customers?limit=3&starting_after=" + p2.get("next_cursor").asString(), k));
    seen.addAll(ids(p3));
    assertThat(p3.get("has_more").asBoolean()).isFalse();
    assertThat(p3.has("next_cursor")).as("the last page says next_cursor: null").isTrue();
    assertThat(p3.get("next_cursor").isNull()).isTrue();
    assertThat(seen).containsExactlyElementsOf(ids);

    JsonNode back = body(api.get("/v1/customers?limit=3&ending_before=" + ids(p2).getFirst(), k));
    assertThat(ids(back)).containsExactlyElementsOf(ids(p1));
    assertThat(back.get("has_more").asBoolean()).as("the two newer customers").isTrue();

    for (String bad : List.of("limit=0", "limit=101", "limit=abc", "limit=1e3")) {
      assertThat(
              assertProblem(api.get("/v1/customers?" + bad, k), 400, "invalid_request")
                  .get("param")
                  .asString())
          .isEqualTo("limit");
    }
    assertThat(
            assertProblem(
                    api.get("/v1/customers?starting_after=cus_nope", k), 400, "invalid_request")
                .get("param")
                .asString())
        .isEqualTo("starting_after");
    assertProblem(
        api.get("/v1/customers?starting_after=" + ids.get(0) + "&ending_before=" + ids.get(1), k),
        400,
        "invalid_request");
  }

  private static List<String> ids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("data").forEach(n -> out.add(n.get("id").asString()));
    return out;
  }

  @Test
  void malformedBodiesAreFourHundredsNamingTheParameter() throws Exception {
    String k = tenantKey("ten_conv_err");
    String wallet = DevAccounts.wallet(3).getAddress();
    Map<String, String> cases =
        Map.of(
            "{\"external_id\": \"e1\", \"wallet\": ",
            "body",
            customerBody("e1", wallet, "").replace("\"external_id\": \"e1\"", "\"external_id\": 5"),
            "external_id",
            customerBody("e1", wallet, ", \"surprise\": 1"),
            "attestation.surprise",
            customerBody("e1", wallet, "").replace("\"sanctions_clear\"", "\"mind_read\""),
            "attestation.signals[1]",
            customerBody("e1", "0x12", ""),
            "wallet",
            customerBody("e1", wallet, "").replace("2026-01-15T10:00:00Z", "yesterday"),
            "attestation.attested_at",
            customerBody("e1", wallet, ", \"pii\": \"encrypted\""),
            "attestation.encrypted_payload",
            "[1, 2, 3]",
            "body",
            "{\"external_id\": \"e1\", \"wallet\": \"" + wallet + "\"} trailing",
            "body");
    for (var c : cases.entrySet()) {
      JsonNode p = assertProblem(api.post("/v1/customers", k, c.getKey()), 400, "invalid_request");
      assertThat(p.get("param").asString()).as(c.getKey()).isEqualTo(c.getValue());
    }
    assertProblem(
        api.send("POST", "/v1/customers", k, "x".repeat(70_000), Map.of()),
        413,
        "payload_too_large");
    assertProblem(
        api.send(
            "POST",
            "/v1/customers",
            k,
            customerBody("e1", wallet, ""),
            Map.of("Content-Type", "text/plain")),
        415,
        "unsupported_media_type");
    assertProblem(api.get("/v1/nothing-here", k), 404, "not_found");
    assertThat(count("SELECT count(*) FROM api.customers WHERE tenant_id = 'ten_conv_err'"))
        .isZero();
  }

  @Test
  void customersAreQueriedBySignalProviderDatesAndNotionalAndStoredHashOnly() throws Exception {
    String k = tenantKey("ten_conv_query");
    String w = DevAccounts.wallet(4).getAddress();
    String accredited =
        body(api.post(
                "/v1/customers",
                k,
                customerBody("q-acc", w, "")
                    .replace("\"sanctions_clear\"]", "\"accreditation_verified\"]")))
            .get("id")
            .asString();
    api.post(
        "/v1/customers",
        k,
        customerBody("q-expired", w, "")
            .replace("\"sanctions_clear\"]", "\"accreditation_verified\"]")
            .replace("sumsub", "onfido")
            .replace("2028-01-15T10:00:00Z", "2026-02-01T00:00:00Z"));
    String old =
        body(api.post(
                "/v1/customers",
                k,
                customerBody("q-old", w, "")
                    .replace("sumsub", "jumio")
                    .replace("2026-01-15T10:00:00Z", "2025-03-01T00:00:00Z")))
            .get("id")
            .asString();

    assertThat(ids(body(api.get("/v1/customers?signal=accreditation_verified", k))))
        .containsExactly(accredited);
    assertThat(ids(body(api.get("/v1/customers?provider=sumsub&attested_after=2026-01-01", k))))
        .containsExactly(accredited);
    assertThat(ids(body(api.get("/v1/customers?attested_after=2025-12-31T00:00:00Z", k))))
        .hasSize(2);
    assertThat(ids(body(api.get("/v1/customers?attestation.expires_before=2026-06-01", k))))
        .hasSize(1);
    assertThat(ids(body(api.get("/v1/customers?provider=jumio", k)))).containsExactly(old);
    assertThat(ids(body(api.get("/v1/customers?min_notional=0", k)))).hasSize(3);
    assertThat(ids(body(api.get("/v1/customers?min_notional=1000000000", k)))).isEmpty();
    assertProblem(api.get("/v1/customers?signal=telepathy", k), 400, "invalid_request");
    assertProblem(api.get("/v1/customers?min_notional=-5", k), 400, "invalid_request");
    assertProblem(api.get("/v1/customers?attested_after=soon", k), 400, "invalid_request");

    JsonNode c = body(api.get("/v1/customers/" + accredited, k));
    assertThat(c.get("attestation").get("pii").asString()).isEqualTo("hash_only");
    assertThat(c.get("attestation").has("encrypted_payload")).isFalse();
    assertThat(count("SELECT count(*) FROM api.attestations WHERE encrypted_payload IS NOT NULL"))
        .isZero();
  }

  @Test
  void positionsCarryNavAndTurnStaleWhenTheFeedStopsTicking() throws Exception {
    String w = DevAccounts.wallet(6).getAddress();
    ContractFixtures.mint(sandbox, "SPY", w, 2_500_000);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> body(api.get("/v1/positions?wallet=" + w, key)).get("data").size() == 1);
    JsonNode pos = body(api.get("/v1/positions?wallet=" + w, key)).get("data").get(0);
    assertThat(pos.get("token").asString()).isEqualTo("SPY");
    assertThat(pos.get("quantity").asString()).isEqualTo("2.500000");
    assertThat(new BigDecimal(pos.get("nav_usdc").asString())).isEqualByComparingTo("1280.75");
    assertThat(pos.get("nav").get("stale").asBoolean()).isFalse();
    assertThat(pos.get("id").asString()).startsWith("pos_8453_");

    sandbox.daemon().prices().freeze("SPY");
    clock.advance(Duration.ofSeconds(130));
    JsonNode stale = body(api.get("/v1/positions?wallet=" + w, key)).get("data").get(0);
    assertThat(stale.get("nav").get("stale").asBoolean()).isTrue();
    JsonNode tokens = body(api.get("/v1/tokens", key)).get("data");
    tokens.forEach(
        t -> {
          if (t.get("ticker").asString().equals("SPY")) {
            assertThat(t.get("nav").get("stale").asBoolean()).isTrue();
            assertThat(t.get("nav_usdc").asString()).isEqualTo("512.300000");
          }
        });
    sandbox.daemon().prices().resume("SPY");
  }

  @Test
  void eventStreamShowsTheTenantsWalletEventsOnly() throws Exception {
    long orderId = ContractFixtures.createRedeem(sandbox, DevAccounts.wallet(5), "AAPL", 1_000_000);
    String redeemId = "rdm_" + Sandbox.CHAIN_ID + "_" + orderId;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (JsonNode e :
                  body(api.get("/v1/events?type=redeem.*&limit=100", key)).get("data")) {
                if (redeemId.equals(e.get("data").path("redeem_id").asString())) {
                  return true;
                }
              }
              return false;
            });
    JsonNode created = null;
    for (JsonNode e : body(api.get("/v1/events?type=redeem.created&limit=100", key)).get("data")) {
      if (redeemId.equals(e.get("data").path("redeem_id").asString())) {
        created = e;
      }
    }
    assertThat(created).isNotNull();
    assertThat(created.get("id").asString()).startsWith("evt_");
    assertThat(created.get("object").asString()).isEqualTo("event");
    assertThat(created.get("livemode").asBoolean()).isFalse();
    assertThat(body(api.get("/v1/events/" + created.get("id").asString(), key))).isEqualTo(created);
    String other = tenantKey("ten_conv_events");
    assertProblem(
        api.get("/v1/events/" + created.get("id").asString(), other), 404, "event_not_found");
    for (JsonNode e : body(api.get("/v1/events?limit=100", other)).get("data")) {
      assertThat(e.get("type").asString()).as("only public catalog events").startsWith("mint.");
    }
  }

  @Test
  void openApiDocumentListsExactlyTheServedRoutesAndDescribesTheirAnswers() throws Exception {
    HttpResponse<String> r = api.get("/v1/openapi.json", null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode doc = body(r);
    assertThat(doc.get("openapi").asString()).isEqualTo("3.1.0");
    Set<String> documented = new HashSet<>();
    doc.get("paths")
        .properties()
        .forEach(
            p ->
                p.getValue()
                    .properties()
                    .forEach(m -> documented.add(m.getKey().toUpperCase() + " " + p.getKey())));
    Set<String> served = new HashSet<>();
    ApiServer.ROUTES.forEach(route -> served.add(route.toString()));
    assertThat(documented).isEqualTo(served);

    // Every field a list answers with is in its documented schema.
    JsonNode schemas = doc.get("components").get("schemas");
    for (String path :
        List.of("/v1/chains", "/v1/tokens", "/v1/customers", "/v1/webhooks", "/v1/api_keys")) {
      JsonNode page = body(api.get(path, key));
      JsonNode item =
          doc.get("paths")
              .get(path)
              .get("get")
              .get("responses")
              .get("200")
              .get("content")
              .get("application/json")
              .get("schema")
              .get("properties")
              .get("data")
              .get("items");
      String ref = item.get("$ref").asString();
      JsonNode props = schemas.get(ref.substring(ref.lastIndexOf('/') + 1)).get("properties");
      page.get("data")
          .forEach(
              obj ->
                  obj.properties()
                      .forEach(
                          f ->
                              assertThat(props.has(f.getKey()))
                                  .as(path + " field " + f.getKey())
                                  .isTrue()));
    }
    HttpResponse<String> docs = api.get("/docs", null);
    assertThat(docs.statusCode()).isEqualTo(200);
    for (String served1 : served) {
      assertThat(docs.body()).contains(served1.substring(served1.indexOf(' ') + 1));
    }
  }
}
