package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.lockstep.api.webhook.RetrySchedule;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.webhook.WebhookSignature;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Webhook delivery end to end: a redeem created on the sandbox chain becomes a {@code
 * redeem.created} event, signed and POSTed to a real local HTTP receiver that fails the first
 * attempts; the clock is moved through the reference's retry schedule (30 s, 5 min, 30 min, 2 h,
 * ... 72 h); every attempt is stored; a receiver that never answers 2xx is abandoned after ten
 * attempts and replayed, in bulk and singly, to another URL.
 */
class WebhookIT {
  private static final MovableClock clock = new MovableClock();
  private static Sandbox sandbox;
  private static ApiClient api;
  private static HttpServer receiver;
  private static final List<Received> received = new CopyOnWriteArrayList<>();
  private static final AtomicInteger failuresLeft = new AtomicInteger();

  /** One request the receiver got: path, headers, raw body and the (moved) time it arrived. */
  record Received(String path, Map<String, String> headers, byte[] body, Instant at) {}

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(0, Path.of("target", "webhook-it"), 1, clock, Map.of());
    api = new ApiClient(sandbox.apiUrl());
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          byte[] raw = exchange.getRequestBody().readAllBytes();
          Map<String, String> headers = new java.util.HashMap<>();
          exchange
              .getRequestHeaders()
              .forEach((k, v) -> headers.put(k.toLowerCase(), v.getFirst()));
          received.add(
              new Received(exchange.getRequestURI().getPath(), headers, raw, clock.instant()));
          boolean fail =
              exchange.getRequestURI().getPath().startsWith("/down")
                  || (exchange.getRequestURI().getPath().startsWith("/flaky")
                      && failuresLeft.getAndDecrement() > 0);
          byte[] answer = (fail ? "not now" : "ok").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(fail ? 503 : 200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    receiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.stop(0);
    sandbox.close();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  private static List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private static JsonNode subscribe(String path, String secret) throws Exception {
    HttpResponse<String> r =
        api.post(
            "/v1/webhooks",
            sandbox.apiKey(),
            """
        {"url": "%s", "events": ["redeem.created"], "secret": "%s"}"""
                .formatted(url(path), secret));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return body(r);
  }

  /**
   * Checks {@code body} against {@code r}'s signature headers with {@code secret} at {@code now}.
   */
  private static void verify(Received r, byte[] body, String secret, Instant now)
      throws WebhookSignature.VerificationException {
    WebhookSignature.verify(
        body,
        secret,
        r.headers().get("x-lockstep-signature"),
        r.headers().get("x-lockstep-signature-timestamp"),
        now,
        WebhookSignature.DEFAULT_TOLERANCE);
  }

  @Test
  void failedDeliveriesFollowTheScheduleAreSignedStoredAbandonedAndReplayed() throws Exception {
    String flakySecret = "whsec_flaky_" + "f".repeat(20);
    String downSecret = "whsec_down_" + "d".repeat(20);
    JsonNode flaky = subscribe("/flaky", flakySecret);
    JsonNode down = subscribe("/down", downSecret);
    failuresLeft.set(4);

    long orderId = ContractFixtures.createRedeem(sandbox, DevAccounts.wallet(1), "AAPL", 1_000_000);
    String redeemId = "rdm_" + Sandbox.CHAIN_ID + "_" + orderId;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> at("/flaky").size() == 1 && at("/down").size() == 1);

    // Attempt 1 was immediate; drive the clock through attempts 2..5 (the receiver recovers on the
    // fifth).
    // The schedule runs from the first attempt as the daemon recorded it.
    String flakyDelivery = at("/flaky").getFirst().headers().get("x-lockstep-delivery-id");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                body(api.get("/v1/webhook_deliveries/" + flakyDelivery, sandbox.apiKey()))
                        .get("attempt_log")
                        .size()
                    == 1);
    Instant first =
        Instant.parse(
            body(api.get("/v1/webhook_deliveries/" + flakyDelivery, sandbox.apiKey()))
                .get("attempt_log")
                .get(0)
                .get("attempted_at")
                .asString());
    for (int n = 2; n <= 5; n++) {
      attemptMadeOnceDue("/flaky", first, n);
    }
    Received ok = at("/flaky").get(4);
    JsonNode event = ApiClient.JSON.readTree(ok.body());
    assertThat(event.get("type").asString()).isEqualTo("redeem.created");
    assertThat(event.get("data").get("redeem_id").asString()).isEqualTo(redeemId);
    assertThat(ok.headers().get("x-lockstep-event")).isEqualTo("redeem.created");
    assertThat(ok.headers().get("x-lockstep-webhook-id")).isEqualTo(flaky.get("id").asString());
    String deliveryId = ok.headers().get("x-lockstep-delivery-id");
    assertThat(deliveryId).startsWith("wh_");
    // The receiver helper accepts it on the sender's clock, and rejects it as stale on the real one
    // (the clock is now hours ahead), and rejects a tampered body.
    verify(ok, ok.body(), flakySecret, clock.instant());
    assertThatThrownBy(() -> verify(ok, ok.body(), flakySecret, Instant.now()))
        .isInstanceOf(WebhookSignature.VerificationException.class);
    byte[] tampered =
        new String(ok.body(), StandardCharsets.UTF_8)
            .replace("redeem.created", "redeem.settled")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> verify(ok, tampered, flakySecret, clock.instant()))
        .isInstanceOf(WebhookSignature.VerificationException.class);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                body(api.get("/v1/webhook_deliveries/" + deliveryId, sandbox.apiKey()))
                    .get("status")
                    .asString()
                    .equals("delivered"));
    JsonNode delivery = body(api.get("/v1/webhook_deliveries/" + deliveryId, sandbox.apiKey()));
    assertThat(delivery.get("attempts").asInt()).isEqualTo(5);
    JsonNode log = delivery.get("attempt_log");
    assertThat(log.size()).isEqualTo(5);
    for (int i = 0; i < 4; i++) {
      assertThat(log.get(i).get("status_code").asInt()).isEqualTo(503);
      assertThat(log.get(i).get("response_excerpt").asString()).isEqualTo("not now");
      assertThat(log.get(i).has("latency_ms")).isTrue();
    }
    assertThat(log.get(4).get("status_code").asInt()).isEqualTo(200);

    // The endpoint that is always down: attempts 6..10, then abandoned.
    for (int n = 6; n <= RetrySchedule.MAX_ATTEMPTS; n++) {
      attemptMadeOnceDue("/down", first, n);
    }
    String downDelivery = at("/down").getFirst().headers().get("x-lockstep-delivery-id");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                body(api.get("/v1/webhook_deliveries/" + downDelivery, sandbox.apiKey()))
                    .get("status")
                    .asString()
                    .equals("abandoned"));
    clock.advance(Duration.ofDays(2));
    Thread.sleep(1000);
    assertThat(at("/down")).as("no attempt after the tenth").hasSize(RetrySchedule.MAX_ATTEMPTS);
    JsonNode abandoned =
        body(
            api.get(
                "/v1/webhooks/" + down.get("id").asString() + "/deliveries?status=abandoned",
                sandbox.apiKey()));
    assertThat(abandoned.get("data").size()).isEqualTo(1);

    // Bulk replay of the abandoned deliveries in a time range, to a fixed endpoint.
    HttpResponse<String> bulk =
        api.post(
            "/v1/webhooks/" + down.get("id").asString() + "/replay",
            sandbox.apiKey(),
            """
        {"from": "%s", "to": "%s", "url": "%s"}"""
                .formatted(first.minusSeconds(3600), clock.instant(), url("/fixed")));
    assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(201);
    assertThat(body(bulk).get("replayed").asInt()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(15)).until(() -> at("/fixed").size() == 1);
    Received replayed = at("/fixed").getFirst();
    assertThat(replayed.body()).isEqualTo(at("/down").getFirst().body());
    verify(replayed, replayed.body(), downSecret, clock.instant());
    HttpResponse<String> again =
        api.post(
            "/v1/webhooks/" + down.get("id").asString() + "/replay",
            sandbox.apiKey(),
            """
        {"from": "%s", "to": "%s"}"""
                .formatted(first.minusSeconds(3600), clock.instant()));
    assertThat(body(again).get("replayed").asInt()).as("already replayed and delivered").isZero();

    // Single replay of the delivered one to another URL.
    HttpResponse<String> single =
        api.post(
            "/v1/webhook_deliveries/" + deliveryId + "/replay",
            sandbox.apiKey(),
            "{\"url\": \"" + url("/single") + "\"}");
    assertThat(single.statusCode()).as(single.body()).isEqualTo(201);
    assertThat(body(single).get("replay_of").asString()).isEqualTo(deliveryId);
    await().atMost(Duration.ofSeconds(15)).until(() -> at("/single").size() == 1);
    assertThat(at("/single").getFirst().body()).isEqualTo(ok.body());
  }

  @Test
  void disabledSubscriptionGetsNothingAndPatternsSelectEvents() throws Exception {
    HttpResponse<String> created =
        api.post(
            "/v1/webhooks",
            sandbox.apiKey(),
            """
        {"url": "%s", "events": ["mint.*"], "enabled": false}"""
                .formatted(url("/disabled")));
    assertThat(body(created).get("secret").asString()).startsWith("whsec_");
    String id = body(created).get("id").asString();
    assertThat(body(api.get("/v1/webhooks/" + id, sandbox.apiKey())).has("secret")).isFalse();
    ContractFixtures.mint(sandbox, "MSFT", DevAccounts.wallet(2).getAddress(), 1_000_000);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (JsonNode e :
                  body(api.get("/v1/events?type=mint.*", sandbox.apiKey())).get("data")) {
                if ("MSFT".equals(e.get("data").path("symbol").asString())) {
                  return true;
                }
              }
              return false;
            });
    Thread.sleep(1000);
    assertThat(at("/disabled")).isEmpty();
    assertThat(
            body(api.get("/v1/webhooks/" + id + "/deliveries", sandbox.apiKey()))
                .get("data")
                .size())
        .as("a disabled subscription is not fanned out to")
        .isZero();

    HttpResponse<String> enabled =
        api.post("/v1/webhooks/" + id, sandbox.apiKey(), "{\"enabled\": true}");
    assertThat(body(enabled).get("enabled").asBoolean()).isTrue();
    ContractFixtures.mint(sandbox, "TSLA", DevAccounts.wallet(2).getAddress(), 1_000_000);
    await().atMost(Duration.ofSeconds(30)).until(() -> at("/disabled").size() == 1);
    assertThat(at("/disabled").getFirst().headers().get("x-lockstep-event"))
        .isEqualTo("mint.contract_deployed");
  }

  /**
   * Signing secrets rest sealed (AES-256-GCM under the daemon's secrets key), never in clear; one
   * written in clear behind the daemon's back (as before this key existed) is sealed by {@code
   * sealClearSecrets}, which a daemon with a key runs at start, and still signs.
   */
  @Test
  void signingSecretsRestSealedAndOneInClearIsSealedAndStillSigns() throws Exception {
    String secret = "whsec_sealed_" + "s".repeat(20);
    String id = subscribe("/sealed", secret).get("id").asString();
    assertThat(
            SandboxDb.count(sandbox, "SELECT count(*) FROM api.webhooks WHERE secret IS NOT NULL"))
        .as("no secret in clear")
        .isZero();
    assertThat(
            SandboxDb.count(
                sandbox,
                "SELECT count(*) FROM api.webhooks WHERE id = '"
                    + id
                    + "' AND position(convert_to('"
                    + secret
                    + "', 'UTF8') in secret_sealed) = 0 AND length(secret_sealed) = "
                    + (12 + secret.length() + 16)))
        .as("sealed: nonce, ciphertext, tag; the secret's bytes nowhere in it")
        .isEqualTo(1);

    String legacy = "whsec_legacy_" + "l".repeat(20);
    SandboxDb.update(
        sandbox,
        "UPDATE api.webhooks SET secret = '"
            + legacy
            + "', secret_sealed = NULL WHERE id = '"
            + id
            + "'");
    assertThat(sandbox.daemon().webhookStore().sealClearSecrets()).isEqualTo(1);
    assertThat(
            SandboxDb.count(sandbox, "SELECT count(*) FROM api.webhooks WHERE secret IS NOT NULL"))
        .isZero();
    long orderId = ContractFixtures.createRedeem(sandbox, DevAccounts.wallet(5), "AAPL", 1_000_000);
    String redeemId = "rdm_" + Sandbox.CHAIN_ID + "_" + orderId;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> typesAt("/sealed", redeemId).contains("redeem.created"));
    Received r =
        at("/sealed").stream()
            .filter(
                x ->
                    new String(x.body(), java.nio.charset.StandardCharsets.UTF_8)
                        .contains(redeemId))
            .findFirst()
            .orElseThrow();
    verify(r, r.body(), legacy, clock.instant());
  }

  @Test
  void aReorgThatUndoesADeliveredEventSendsACompensatingEvent() throws Exception {
    String id = subscribe("/reorg", "whsec_reorg_" + "r".repeat(20)).get("id").asString();
    HttpResponse<String> widened =
        api.post("/v1/webhooks/" + id, sandbox.apiKey(), "{\"events\": [\"redeem.*\"]}");
    assertThat(body(widened).get("events").toString()).isEqualTo("[\"redeem.*\"]");
    var anvil = sandbox.anvil(Sandbox.CHAIN_ID);
    String snapshot = anvil.snapshot();
    long orderId = ContractFixtures.createRedeem(sandbox, DevAccounts.wallet(3), "NVDA", 1_000_000);
    String redeemId = "rdm_" + Sandbox.CHAIN_ID + "_" + orderId;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> typesAt("/reorg", redeemId).contains("redeem.created"));

    anvil.revert(snapshot);
    anvil.mine(6);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> typesAt("/reorg", redeemId).contains("redeem.reorged"));
    JsonNode compensation = null;
    for (Received r : at("/reorg")) {
      JsonNode e = ApiClient.JSON.readTree(r.body());
      if (e.get("type").asString().equals("redeem.reorged")
          && e.get("data").get("reorged_type").asString().equals("redeem.created")
          && redeemId.equals(e.get("data").path("redeem_id").asString())) {
        compensation = e;
      }
    }
    assertThat(compensation).as("redeem.reorged for the undone redeem.created").isNotNull();
    assertThat(compensation.get("data").get("status").asString())
        .as("the order no longer exists")
        .isEqualTo("none");
    assertThat(compensation.get("data").get("reason").asString()).isEqualTo("reorg");
  }

  /**
   * Moves the clock to just before attempt {@code n} is due and sees nothing sent, then to its
   * latest due time (the schedule plus at most a tenth of the gap as jitter) and sees it arrive.
   */
  private static void attemptMadeOnceDue(String path, Instant first, int n)
      throws InterruptedException {
    clock.advanceTo(first.plus(RetrySchedule.OFFSETS.get(n - 1)).minusSeconds(1));
    Thread.sleep(700);
    assertThat(at(path)).as("before attempt %d is due", n).hasSize(n - 1);
    clock.advanceTo(RetrySchedule.latest(first, n).plusMillis(10));
    await().atMost(Duration.ofSeconds(15)).until(() -> at(path).size() >= n);
    assertThat(at(path)).hasSize(n);
  }

  private static List<String> typesAt(String path, String redeemId) {
    return at(path).stream()
        .map(r -> ApiClient.JSON.readTree(r.body()))
        .filter(e -> redeemId.equals(e.get("data").path("redeem_id").asString()))
        .map(e -> e.get("type").asString())
        .toList();
  }
}
