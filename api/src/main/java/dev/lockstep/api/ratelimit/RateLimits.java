package dev.lockstep.api.ratelimit;

import dev.lockstep.api.auth.ApiKey;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.ports.Mode;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key request rate limits by tier (reference platform-docs "Rate limits"): requests per second
 * of startup 500, growth 1,000, scale 2,500, enterprise 5,000 and sandbox ({@code sk_test_} keys)
 * 10,000. A cold key may burst to twice its rate for ten seconds, then traffic is shaped to the
 * rate: two token buckets (Bucket4j) per key, one of 2 x rate refilled at 2 x rate per second and
 * one of 10 x rate refilled at the rate.
 *
 * <p>Every answer carries {@code X-RateLimit-Limit} (the tier's requests per second), {@code
 * X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (Unix seconds when the buckets are full
 * again); a request over the limit is 429 {@code rate_limited} with {@code Retry-After} and {@code
 * retry_after_seconds}. Limits are counted per daemon process. Thread-safe.
 */
public final class RateLimits {
  /** Requests per second by tier, as the reference gives them. */
  public static final Map<String, Long> DEFAULT_RPS =
      Map.of(
          "startup",
          500L,
          "growth",
          1_000L,
          "scale",
          2_500L,
          "enterprise",
          5_000L,
          "sandbox",
          10_000L);

  private final Map<String, Long> rps;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param overrides requests per second replacing the defaults of some tiers (configuration,
   *     tests)
   */
  public RateLimits(Map<String, Long> overrides) {
    Map<String, Long> m = new HashMap<>(DEFAULT_RPS);
    overrides.forEach(
        (tier, limit) -> {
          if (!DEFAULT_RPS.containsKey(tier) || limit < 1) {
            throw new IllegalArgumentException(
                "rate limit for unknown tier or below 1: " + tier + "=" + limit);
          }
          m.put(tier, limit);
        });
    this.rps = Map.copyOf(m);
  }

  /** The tier a key is limited by: {@code sandbox} for test keys, else its tenant's tier. */
  public static String tierOf(ApiKey key) {
    return key.mode() == Mode.TEST ? "sandbox" : key.tier();
  }

  /**
   * Takes one request from the caller's budget and sets the headers; throws 429 when it is spent.
   */
  public void check(Context ctx) {
    ApiKey key = Authenticator.keyOf(ctx);
    long limit = rps.get(tierOf(key));
    Bucket bucket =
        buckets.computeIfAbsent(
            key.id() + "/" + limit,
            k ->
                Bucket.builder()
                    .addLimit(
                        l -> l.capacity(2 * limit).refillGreedy(2 * limit, Duration.ofSeconds(1)))
                    .addLimit(
                        l -> l.capacity(10 * limit).refillGreedy(limit, Duration.ofSeconds(1)))
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    long nowSeconds = System.currentTimeMillis() / 1000;
    ctx.header("X-RateLimit-Limit", Long.toString(limit));
    ctx.header("X-RateLimit-Remaining", Long.toString(Math.max(0, probe.getRemainingTokens())));
    ctx.header(
        "X-RateLimit-Reset",
        Long.toString(nowSeconds + ceilSeconds(probe.getNanosToWaitForReset())));
    if (!probe.isConsumed()) {
      long retryAfter = Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill()));
      ctx.header("Retry-After", Long.toString(retryAfter));
      throw new ApiException(
          ErrorCode.RATE_LIMITED,
          "Exceeded "
              + limit
              + " requests per second on key "
              + key.id()
              + " (tier "
              + tierOf(key)
              + ")",
          Map.of("retry_after_seconds", retryAfter, "limit_rps", limit));
    }
  }

  private static long ceilSeconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
