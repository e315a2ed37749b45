package dev.lockstep.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A test's HTTP client of one daemon's API, and the assertions every problem answer must meet. */
final class ApiClient {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;

  ApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  HttpResponse<String> get(String path, String key) throws Exception {
    return send("GET", path, key, null, Map.of());
  }

  HttpResponse<String> post(String path, String key, String body) throws Exception {
    return send("POST", path, key, body, Map.of());
  }

  HttpResponse<String> post(String path, String key, String body, String idempotencyKey)
      throws Exception {
    return send("POST", path, key, body, Map.of("Idempotency-Key", idempotencyKey));
  }

  /** Sends {@code body} (JSON, or none when null) with {@code headers}. */
  HttpResponse<String> send(
      String method, String path, String key, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null && !headers.containsKey("Content-Type")) {
      b.header("Content-Type", "application/json");
    }
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode body(HttpResponse<String> r) {
    return JSON.readTree(r.body());
  }

  /**
   * GETs {@code path} until its {@code status} is {@code status} (every 250 ms, at most 60 s); the
   * last answer.
   */
  JsonNode awaitStatus(String path, String key, String status) {
    JsonNode[] last = new JsonNode[1];
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .pollInterval(java.time.Duration.ofMillis(250))
        .until(
            () -> {
              last[0] = body(get(path, key));
              return last[0].path("status").asString().equals(status);
            });
    return last[0];
  }

  /** Asserts an RFC 9457 problem with {@code status} and {@code code} and every standard member. */
  static JsonNode assertProblem(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    JsonNode b = body(r);
    assertThat(b.path("code").asString()).as(r.body()).isEqualTo(code);
    assertThat(b.path("status").asInt()).isEqualTo(status);
    assertThat(b.path("request_id").asString()).startsWith("req_");
    assertThat(b.path("type").asString()).endsWith("/" + code);
    assertThat(b.path("title").asString()).isNotBlank();
    assertThat(b.path("detail").asString()).isNotBlank();
    assertThat(b.path("instance").asString()).startsWith("/");
    assertThat(b.has("retryable")).isTrue();
    return b;
  }

  /**
   * Links {@code holder}'s wallet to the tenant of {@code key} as an integrator would: asks for a
   * challenge, signs it with the integrators' helper ({@code HolderSigning.signChallenge}, which
   * checks the typed data hashes to the digest sent), posts the proof. Returns the link.
   */
  JsonNode proveWallet(String key, org.web3j.crypto.Credentials holder) throws Exception {
    HttpResponse<String> c =
        post("/v1/wallet_challenges", key, "{\"wallet\": \"" + holder.getAddress() + "\"}");
    assertThat(c.statusCode()).as(c.body()).isEqualTo(201);
    String sig = dev.lockstep.holder.HolderSigning.signChallenge(c.body(), holder.getEcKeyPair());
    HttpResponse<String> p =
        post(
            "/v1/wallet_links",
            key,
            "{\"challenge_id\": \"%s\", \"signature\": \"%s\"}"
                .formatted(body(c).get("id").asString(), sig));
    assertThat(p.statusCode()).as(p.body()).isIn(200, 201);
    return body(p);
  }
}
