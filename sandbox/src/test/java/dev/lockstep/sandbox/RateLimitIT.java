package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.auth.ApiKey;
import dev.lockstep.api.auth.FailureLimits;
import dev.lockstep.api.auth.Scope;
import dev.lockstep.api.auth.Tier;
import dev.lockstep.api.cache.Notifications;
import dev.lockstep.api.ratelimit.RateLimits;
import dev.lockstep.ports.Mode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Per-key rate limits, the key cache's bound and the per-address limit of failed authentications,
 * against two real daemons on one database, with the sandbox tier lowered to 5 requests per second.
 */
class RateLimitIT {
  private static Sandbox sandbox;
  private static ApiClient api;
  private static ApiClient second;

  @BeforeAll
  static void start() {
    sandbox =
        Sandbox.start(
            0, Path.of("target", "rate-limit-it"), 2, Clock.systemUTC(), Map.of("sandbox", 5L));
    api = new ApiClient(sandbox.apiUrls().get(0));
    second = new ApiClient(sandbox.apiUrls().get(1));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void aKeyOverItsTierGets429WithRetryAfterAndOtherKeysAreUnaffected() throws Exception {
    String key = sandbox.daemon().apiKeys().create("ten_rl_a", Mode.TEST, Scope.READ);
    List<HttpResponse<String>> answers = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < 40; i++) {
      answers.add(api.get("/v1/chains", key));
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    HttpResponse<String> firstOk = answers.getFirst();
    assertThat(firstOk.statusCode()).isEqualTo(200);
    assertThat(firstOk.headers().firstValue("X-RateLimit-Limit")).contains("5");
    long remaining =
        Long.parseLong(firstOk.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
    assertThat(remaining).isBetween(0L, 9L);
    long reset = Long.parseLong(firstOk.headers().firstValue("X-RateLimit-Reset").orElseThrow());
    assertThat(reset)
        .isBetween(System.currentTimeMillis() / 1000, System.currentTimeMillis() / 1000 + 20);

    // A cold key may burst to twice its rate (10), then it is limited; what refilled while the 40
    // requests ran (at most 2 x 5 a second) may pass too.
    long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
    assertThat(ok).isBetween(10L, 12L + (long) Math.ceil(seconds * 10));
    assertThat(answers.stream().filter(r -> r.statusCode() != 200 && r.statusCode() != 429))
        .as("every answer 200 or 429")
        .isEmpty();
    HttpResponse<String> limited =
        answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    JsonNode problem = assertProblem(limited, 429, "rate_limited");
    assertThat(problem.get("retryable").asBoolean()).isTrue();
    long retryAfter = problem.get("retry_after_seconds").asLong();
    assertThat(retryAfter).isPositive();
    assertThat(limited.headers().firstValue("Retry-After")).contains(Long.toString(retryAfter));
    assertThat(problem.get("limit_rps").asLong()).isEqualTo(5);
    assertThat(limited.headers().firstValue("X-RateLimit-Remaining")).contains("0");

    String other = sandbox.daemon().apiKeys().create("ten_rl_b", Mode.TEST, Scope.READ);
    assertThat(api.get("/v1/chains", other).statusCode()).as("limits are per key").isEqualTo(200);

    Thread.sleep(retryAfter * 1000 + 200);
    assertThat(api.get("/v1/chains", key).statusCode()).as("after Retry-After").isEqualTo(200);
  }

  @Test
  void oneKeysLimitHoldsAcrossTwoDaemons() throws Exception {
    String key = sandbox.daemon().apiKeys().create("ten_rl_shared", Mode.TEST, Scope.READ);
    // 40 requests at once, half to each daemon, so little refills while they run.
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<HttpResponse<String>>> sent = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < 40; i++) {
      ApiClient to = i % 2 == 0 ? api : second;
      sent.add(pool.submit(() -> to.get("/v1/chains", key)));
    }
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (var f : sent) {
      answers.add(f.get());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    long okFirst = answers.stream().filter(r -> r.statusCode() == 200).count();
    // Shared: the cold key's burst of 10, what refilled meanwhile (at most 2 x 5 a second) and at
    // most one unsynchronised token per daemon. Counted per daemon, each would let its own burst of
    // 10 through: 20 at least.
    assertThat(seconds).as("the 40 requests ran at once").isLessThan(0.7);
    assertThat(okFirst)
        .as("answers 200 across both daemons")
        .isBetween(10L, 12L + (long) Math.ceil(seconds * 10))
        .isLessThan(20L);
    assertThat(answers.stream().filter(r -> r.statusCode() == 429).count())
        .as("the rest refused, on either daemon")
        .isEqualTo(40 - okFirst);
  }

  @Test
  void aRevokedKeyStopsWorkingOnTheOtherDaemonWithinTheNotification() throws Exception {
    String admin = sandbox.daemon().apiKeys().create("ten_rl_revoke", Mode.TEST, Scope.FULL);
    String doomed = sandbox.daemon().apiKeys().create("ten_rl_revoke", Mode.TEST, Scope.READ);
    assertThat(second.get("/v1/chains", doomed).statusCode()).isEqualTo(200); // now cached there
    String id = idOf(admin, doomed);

    assertThat(api.post("/v1/api_keys/" + id + "/revoke", admin, "{}").statusCode()).isEqualTo(200);
    long revoked = System.nanoTime();
    assertThat(api.get("/v1/chains", doomed).statusCode())
        .as("on the daemon that revoked it: the next request")
        .isEqualTo(401);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(2))
        .pollInterval(java.time.Duration.ofMillis(10))
        .until(() -> second.get("/v1/chains", doomed).statusCode() == 401);
    long millis = (System.nanoTime() - revoked) / 1_000_000;
    System.out.printf("revocation reached the other daemon in %d ms%n", millis);
    assertThat(millis).as("revocation reached the other daemon's cache").isLessThan(2_000);
  }

  @Test
  void withItsListenerCutTheCacheStepsAsideAndARevocationStillHoldsAtOnce() throws Exception {
    String admin = sandbox.daemon().apiKeys().create("ten_rl_cut", Mode.TEST, Scope.FULL);
    String doomed = sandbox.daemon().apiKeys().create("ten_rl_cut", Mode.TEST, Scope.READ);
    assertThat(second.get("/v1/chains", doomed).statusCode()).isEqualTo(200);
    String id = idOf(admin, doomed);
    assertThat(SandboxDb.cutListeners(sandbox)).as("both daemons' listeners cut").isEqualTo(2);
    // Revoked behind every daemon's back, straight in the table: no notification at all.
    SandboxDb.update(sandbox, "UPDATE api.api_keys SET revoked_at = now() WHERE id = '" + id + "'");
    // A cut listener is noticed within a heartbeat: the cache steps aside (and is emptied when it
    // listens again), so the key is looked up, and refused.
    long cut = System.nanoTime();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .pollInterval(java.time.Duration.ofMillis(10))
        .until(() -> second.get("/v1/chains", doomed).statusCode() == 401);
    assertThat((System.nanoTime() - cut) / 1_000_000)
        .as("milliseconds until the cut was noticed")
        .isLessThan(Notifications.HEARTBEAT.toMillis() + 1_000);
    assertThat(api.get("/v1/chains", doomed).statusCode()).isEqualTo(401);
    assertThat(second.get("/v1/chains", admin).statusCode()).isEqualTo(200);
  }

  @Test
  void failedAuthenticationsAreLimitedPerAddressBeforeAnyLookup() throws Exception {
    String good = sandbox.daemon().apiKeys().create("ten_rl_addr", Mode.TEST, Scope.READ);
    assertThat(api.get("/v1/chains", good).statusCode()).isEqualTo(200); // cached from now on
    String fresh = sandbox.daemon().apiKeys().create("ten_rl_addr", Mode.TEST, Scope.READ);
    int unauthorized = 0;
    HttpResponse<String> last = null;
    for (int i = 0; i < 400 && (last == null || last.statusCode() != 429); i++) {
      last = api.get("/v1/chains", "sk_test_" + "x".repeat(31) + i % 10);
      if (last.statusCode() == 401) {
        unauthorized++;
      }
    }
    JsonNode problem = assertProblem(last, 429, "rate_limited");
    assertThat(last.headers().firstValue("Retry-After")).isPresent();
    assertThat(problem.get("retry_after_seconds").asLong()).isPositive();
    assertThat(unauthorized).as("failures before the address is stopped").isBetween(150, 399);
    // A valid key this daemon does not hold yet would need a lookup: refused like the bad ones
    // (failures are given back every 10 s; a bad key just before takes any given back).
    api.get("/v1/chains", "sk_test_" + "y".repeat(32));
    assertThat(api.get("/v1/chains", fresh).statusCode()).isEqualTo(429);
    assertThat(api.get("/v1/chains", null).statusCode()).isEqualTo(429);
    // A key the cache holds needs no lookup and keeps working from the same address.
    assertThat(api.get("/v1/chains", good).statusCode()).isEqualTo(200);
    // The other daemon counts its own failures.
    assertThat(second.get("/v1/chains", fresh).statusCode()).isEqualTo(200);
    // And the address is let through again once its failures refill.
    org.awaitility.Awaitility.await()
        .atMost(FailureLimits.REFILL.plusSeconds(5))
        .pollInterval(java.time.Duration.ofMillis(200))
        .until(() -> api.get("/v1/chains", fresh).statusCode() == 200);
  }

  @Test
  void onScaleGetsDoNotConsumeTheMutatingBudgetAndOnStartupTheyDo() throws Exception {
    var ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setUrl(sandbox.databaseUrl());
    // Two instances over one database, as two daemons would hold.
    var a = new RateLimits(Map.of("scale", 5L, "startup", 5L), ds);
    var b = new RateLimits(Map.of("scale", 5L, "startup", 5L), ds);
    ApiKey scale = new ApiKey("key_budget_scale", "ten_budget", Mode.LIVE, Scope.FULL, Tier.SCALE);
    int gets = 0;
    for (int i = 0; i < 30; i++) {
      if ((i % 2 == 0 ? a : b).take(scale, true).allowed()) {
        gets++;
      }
    }
    assertThat(gets).as("GETs of a cold Scale key: a burst of 2 x 5").isBetween(10, 14);
    RateLimits.Taken write = a.take(scale, false);
    assertThat(write.allowed()).as("the mutating budget untouched by the GETs").isTrue();
    assertThat(write.budget()).isEqualTo(RateLimits.Budget.WRITE);
    assertThat(write.remaining()).isGreaterThanOrEqualTo(8);

    ApiKey startup =
        new ApiKey("key_budget_startup", "ten_budget", Mode.LIVE, Scope.FULL, Tier.STARTUP);
    int allowed = 0;
    for (int i = 0; i < 30; i++) {
      if ((i % 2 == 0 ? a : b).take(startup, true).allowed()) {
        allowed++;
      }
    }
    assertThat(allowed).isBetween(10, 14);
    RateLimits.Taken startupWrite = a.take(startup, false);
    assertThat(startupWrite.allowed()).as("one budget for both on Startup").isFalse();
    assertThat(startupWrite.budget()).isEqualTo(RateLimits.Budget.ALL);
    assertThat(startupWrite.retryAfterSeconds()).isPositive();

    // A bucket row removed behind the daemons' backs (an expired row cleaned up) is made again.
    ApiKey growth =
        new ApiKey("key_budget_growth", "ten_budget", Mode.LIVE, Scope.FULL, Tier.GROWTH);
    assertThat(a.take(growth, true).allowed()).isTrue();
    try (var c = ds.getConnection()) {
      assertThat(
              c.createStatement()
                  .executeUpdate(
                      "DELETE FROM api.rate_limit_buckets WHERE id LIKE 'key_budget_growth/%'"))
          .isEqualTo(1);
    }
    Thread.sleep(RateLimits.SYNC_EVERY.toMillis() * 2);
    for (int i = 0; i < 5; i++) {
      assertThat(a.take(growth, true).allowed()).isTrue();
      assertThat(b.take(growth, false).allowed()).isTrue();
    }

    // Housekeeping deletes rows past their expiry (here the Startup key's, made to have expired).
    try (var c = ds.getConnection()) {
      c.createStatement()
          .executeUpdate(
              "UPDATE api.rate_limit_buckets SET expires_at = 0 WHERE id LIKE 'key_budget_startup/%'");
      // (other tests' idle buckets may be past their expiry too)
      assertThat(a.removeExpired()).isGreaterThanOrEqualTo(1);
      var rs =
          c.createStatement()
              .executeQuery(
                  "SELECT id FROM api.rate_limit_buckets WHERE id LIKE 'key_budget_%' ORDER BY id");
      List<String> left = new ArrayList<>();
      while (rs.next()) left.add(rs.getString(1).replaceAll("/[0-9]+$", ""));
      assertThat(left)
          .as("the Startup key's row gone; the Growth and Scale keys' rows kept")
          .containsExactly(
              "key_budget_growth/all", "key_budget_scale/read", "key_budget_scale/write");
    }
  }

  /** The id of {@code key}, as the tenant's key list shows it (by its prefix). */
  private static String idOf(String admin, String key) throws Exception {
    JsonNode list = ApiClient.body(api.get("/v1/api_keys?limit=100", admin));
    for (JsonNode k : list.get("data")) {
      if (key.startsWith(k.get("prefix").asString())) {
        return k.get("id").asString();
      }
    }
    throw new AssertionError("no key with the prefix of " + key.substring(0, 12));
  }
}
