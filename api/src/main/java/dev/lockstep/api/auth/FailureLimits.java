package dev.lockstep.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * Limits requests that fail authentication (no, malformed, unknown or revoked key) per client
 * address, in this daemon's memory, so that a flood of bad keys never reaches the database: each
 * failure takes a token from the address's bucket ({@code burst} tokens, refilled with {@code
 * perSecond} x 10 tokens every {@link #REFILL}); while the bucket is empty, a request from that
 * address whose key is not already known to the key cache is refused with 429 {@code rate_limited}
 * before any lookup. A valid key the cache holds keeps working from that address. The address is
 * the connection's remote address (behind a proxy, the proxy's). Thread-safe.
 */
public final class FailureLimits {
  /** The defaults: 50 failures a second per address, bursts of 200. */
  public static final long PER_SECOND = 50;

  public static final long BURST = 200;

  /** How often an address's spent failures are given back, in one go. */
  public static final Duration REFILL = Duration.ofSeconds(10);

  private final long perSecond;
  private final long burst;
  // Cache upkeep (eviction, expiry) runs on the request's own thread: Caffeine's default hands
  // it to the common ForkJoinPool, a thread wake-up every few requests on the API's hot path.
  private final Cache<String, Bucket> byAddress =
      Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterAccess(Duration.ofMinutes(5))
          .executor(Runnable::run)
          .build();

  public FailureLimits(long perSecond, long burst) {
    if (perSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("failure limits must be >= 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** The defaults. */
  public static FailureLimits defaults() {
    return new FailureLimits(PER_SECOND, BURST);
  }

  /**
   * Zero if {@code address} may have its key looked up; else the seconds until it may (its failures
   * are spent). Called before a lookup.
   */
  long retryAfterSeconds(String address) {
    Bucket b = byAddress.getIfPresent(address);
    if (b == null || b.getAvailableTokens() >= 1) {
      return 0;
    }
    long nanos = b.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }

  /** Failed authentications allowed per second per address. */
  long perSecond() {
    return perSecond;
  }

  /** Counts one failed authentication of {@code address}. */
  void failed(String address) {
    byAddress
        .get(
            address,
            a ->
                Bucket.builder()
                    .addLimit(
                        l ->
                            l.capacity(burst)
                                .refillIntervally(perSecond * REFILL.toSeconds(), REFILL))
                    .build())
        .tryConsume(1);
  }
}
