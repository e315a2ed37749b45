package dev.lockstep.api.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.lockstep.api.auth.ApiKey;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.auth.Tier;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.ports.Mode;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.proxy.ExpiredEntriesCleaner;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Per-key request rate limits by tier (reference platform-docs "Rate limits"), held across every
 * daemon sharing the database: requests per second of startup 500, growth 1,000, scale 2,500,
 * enterprise 5,000 and sandbox ({@code sk_test_} keys) 10,000. A cold key may burst to twice its
 * rate for ten seconds, then traffic is shaped to the rate: two token-bucket limits per budget, one
 * of 2 x rate refilled at 2 x rate per second and one of 10 x rate refilled at the rate. On Scale
 * and Enterprise a key has two budgets of its tier's rate, one for GETs and one for mutating calls,
 * so reads never consume the mutating budget; on the other tiers one budget serves both.
 *
 * <p><b>Shared buckets.</b> The buckets live in {@code api.rate_limit_buckets} (Bucket4j's
 * PostgreSQL backend, {@code SELECT ... FOR UPDATE}); each daemon consumes from its local view and
 * synchronises with the row after {@code rate / 20} tokens or {@link #SYNC_EVERY}, whichever comes
 * first (Bucket4j's delaying optimization), so a request almost never waits on the database, and
 * the keys' combined rate across N daemons exceeds the tier by at most N x rate / 20 tokens per
 * synchronisation. A row expires when its bucket would be full again.
 *
 * <p>Every answer carries {@code X-RateLimit-Limit} (the budget's requests per second), {@code
 * X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (Unix seconds when the budget is full
 * again); a request over the limit is 429 {@code rate_limited} with {@code Retry-After} and {@code
 * retry_after_seconds}. Thread-safe.
 */
public final class RateLimits {
  /** Longest a daemon consumes from its local view of a bucket before synchronising. */
  public static final Duration SYNC_EVERY = Duration.ofMillis(50);

  /** What a request consumes from. */
  public enum Budget {
    /** Every request (tiers without a separate read budget). */
    ALL,
    /** GETs on Scale and Enterprise. */
    READ,
    /** Mutating requests on Scale and Enterprise. */
    WRITE
  }

  private final Map<Tier, Long> rps;
  private final ProxyManager<String> buckets;
  // Cache upkeep (eviction, expiry) runs on the request's own thread: Caffeine's default hands
  // it to the common ForkJoinPool, a thread wake-up every few requests on the API's hot path.
  private final Cache<String, BucketProxy> proxies =
      Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterAccess(Duration.ofMinutes(10))
          .executor(Runnable::run)
          .build();

  /**
   * @param overrides requests per second replacing the defaults of some tiers, by tier name
   *     (configuration, tests)
   * @param dataSource the database whose {@code api.rate_limit_buckets} every daemon shares
   */
  public RateLimits(Map<String, Long> overrides, DataSource dataSource) {
    Map<Tier, Long> m = new EnumMap<>(Tier.class);
    for (Tier t : Tier.values()) {
      m.put(t, t.defaultRps());
    }
    overrides.forEach(
        (tier, limit) -> {
          Tier t = tierNamed(tier);
          if (limit < 1) {
            throw new IllegalArgumentException("rate limit below 1: " + tier + "=" + limit);
          }
          m.put(t, limit);
        });
    this.rps = Map.copyOf(m);
    this.buckets =
        Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
            .primaryKeyMapper(PrimaryKeyMapper.STRING)
            .table("api.rate_limit_buckets")
            .idColumn("id")
            .stateColumn("state")
            .expiresAtColumn("expires_at")
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    Duration.ofSeconds(10)))
            .build();
  }

  private static Tier tierNamed(String name) {
    for (Tier t : Tier.values()) {
      if (t.dbValue().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("rate limit for unknown tier: " + name);
  }

  /** The tier a key is limited by: {@code sandbox} for test keys, else its tenant's tier. */
  public static Tier tierOf(ApiKey key) {
    return key.mode() == Mode.TEST ? Tier.SANDBOX : key.tier();
  }

  /** Requests per second of {@code tier} here (the default or its override). */
  public long rpsOf(Tier tier) {
    return rps.get(tier);
  }

  /**
   * What one request took from its key's budget.
   *
   * @param limit the budget's requests per second
   * @param remaining tokens left in the budget
   * @param resetSeconds seconds until the budget is full again
   * @param retryAfterSeconds when refused, seconds until a request would be taken (else 0)
   * @param budget which budget the request counted against
   */
  public record Taken(
      boolean allowed,
      long limit,
      long remaining,
      long resetSeconds,
      long retryAfterSeconds,
      Tier tier,
      Budget budget) {}

  /**
   * Takes one request of {@code key} from its budget ({@code get}: whether it is a GET), shared
   * with every daemon on the database.
   */
  public Taken take(ApiKey key, boolean get) {
    Tier tier = tierOf(key);
    long limit = rps.get(tier);
    Budget budget = !tier.separateReadBudget() ? Budget.ALL : get ? Budget.READ : Budget.WRITE;
    String id = key.id() + "/" + budget.name().toLowerCase(java.util.Locale.ROOT) + "/" + limit;
    ConsumptionProbe probe;
    try {
      probe = proxies.get(id, k -> bucket(k, limit)).tryConsumeAndReturnRemaining(1);
    } catch (RuntimeException e) {
      if (!bucketMissing(e)) {
        throw e;
      }
      // The row is gone (expired while this daemon held a local view of it) or a concurrent first
      // use raced its creation: start again from a bucket created in the table.
      proxies.invalidate(id);
      probe = proxies.get(id, k -> bucket(k, limit)).tryConsumeAndReturnRemaining(1);
    }
    return new Taken(
        probe.isConsumed(),
        limit,
        Math.max(0, probe.getRemainingTokens()),
        ceilSeconds(probe.getNanosToWaitForReset()),
        probe.isConsumed() ? 0 : Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill())),
        tier,
        budget);
  }

  /**
   * Takes one request from the caller's budget and sets the headers; throws 429 when it is spent.
   */
  public void check(Context ctx) {
    ApiKey key = Authenticator.keyOf(ctx);
    Taken t = take(key, ctx.method().name().equals("GET"));
    long nowSeconds = System.currentTimeMillis() / 1000;
    ctx.header("X-RateLimit-Limit", Long.toString(t.limit()));
    ctx.header("X-RateLimit-Remaining", Long.toString(t.remaining()));
    ctx.header("X-RateLimit-Reset", Long.toString(nowSeconds + t.resetSeconds()));
    if (!t.allowed()) {
      ctx.header("Retry-After", Long.toString(t.retryAfterSeconds()));
      throw new ApiException(
          ErrorCode.RATE_LIMITED,
          "Exceeded "
              + t.limit()
              + " requests per second on key "
              + key.id()
              + " (tier "
              + t.tier().dbValue()
              + (t.budget() == Budget.ALL
                  ? ""
                  : ", " + t.budget().name().toLowerCase(java.util.Locale.ROOT) + " budget")
              + ")",
          Map.of("retry_after_seconds", t.retryAfterSeconds(), "limit_rps", t.limit()));
    }
  }

  /**
   * Deletes bucket rows past their expiry (a bucket full again and unused), up to 1,000 a call; how
   * many. Run once a minute by the webhook loop's housekeeping.
   */
  public int removeExpired() {
    return ((ExpiredEntriesCleaner) buckets).removeExpired(1_000);
  }

  private static boolean bucketMissing(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BucketNotFoundException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The optimized proxy of bucket {@code id}, after making sure its row exists (created by a plain
   * proxy, once per daemon and key: the delaying optimization's first synchronisation can race a
   * row that does not exist yet).
   */
  private BucketProxy bucket(String id, long limit) {
    BucketConfiguration config =
        BucketConfiguration.builder()
            .addLimit(l -> l.capacity(2 * limit).refillGreedy(2 * limit, Duration.ofSeconds(1)))
            .addLimit(l -> l.capacity(10 * limit).refillGreedy(limit, Duration.ofSeconds(1)))
            .build();
    buckets.builder().build(id, () -> config).getAvailableTokens();
    return buckets
        .builder()
        .withOptimization(
            Optimizations.delaying(new DelayParameters(Math.max(1, limit / 20), SYNC_EVERY)))
        .build(id, () -> config);
  }

  private static long ceilSeconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
