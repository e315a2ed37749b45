package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.auth.Scope;
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
 * Per-key rate limits against the real daemon, with the sandbox tier lowered to 5 requests per
 * second.
 */
class RateLimitIT {
  private static Sandbox sandbox;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    sandbox =
        Sandbox.start(
            0, Path.of("target", "rate-limit-it"), 1, Clock.systemUTC(), Map.of("sandbox", 5L));
    api = new ApiClient(sandbox.apiUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Test
  void aKeyOverItsTierGets429WithRetryAfterAndOtherKeysAreUnaffected() throws Exception {
    String key = sandbox.daemon().apiKeys().create("ten_rl_a", Mode.TEST, Scope.READ);
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      answers.add(api.get("/v1/chains", key));
    }
    HttpResponse<String> firstOk = answers.getFirst();
    assertThat(firstOk.statusCode()).isEqualTo(200);
    assertThat(firstOk.headers().firstValue("X-RateLimit-Limit")).contains("5");
    long remaining =
        Long.parseLong(firstOk.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
    assertThat(remaining).isBetween(0L, 9L);
    long reset = Long.parseLong(firstOk.headers().firstValue("X-RateLimit-Reset").orElseThrow());
    assertThat(reset)
        .isBetween(System.currentTimeMillis() / 1000, System.currentTimeMillis() / 1000 + 20);

    // A cold key may burst to twice its rate (10), then it is limited.
    long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
    assertThat(ok).isBetween(10L, 20L);
    HttpResponse<String> limited = answers.getLast();
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
}
