package dev.lockstep.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.lockstep.api.cache.Notifications;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;

/**
 * Authenticated API keys by the SHA-256 of their secret, so a request with a known key costs no
 * database lookup. Only usable keys are cached (an unknown or revoked secret is always looked up,
 * behind the per-address limit of failures), each with its expiry, which is checked on every use.
 *
 * <p><b>Bound.</b> Every change that can make a cached key unusable (revoke, rotate) sends {@code
 * pg_notify('lockstep_api_keys', key_hash)} in its own transaction; every daemon {@code LISTEN}s
 * ({@link Notifications}, one connection of its own) and drops the entry when the notification
 * arrives, which PostgreSQL delivers at commit. The daemon that made the change also drops it at
 * once. So a revoked key stops working on the daemon that revoked it with the next request, and on
 * the others within the notification's delivery (milliseconds). The cache is used only while the
 * daemon is listening (checked every {@link Notifications#HEARTBEAT}); while it is not (or before
 * it is), every request is looked up, and the cache is emptied when listening resumes. An entry
 * also expires {@link #TTL} after it was loaded. A load racing with a notification is not stored
 * ({@link #epoch}). Thread-safe.
 */
public final class KeyCache {
  /** The notification channel of key changes; the payload is the key's hash, or {@code *}. */
  public static final String CHANNEL = "lockstep_api_keys";

  /** Longest an entry lives without a notification (a safety net; notifications do the work). */
  public static final Duration TTL = Duration.ofSeconds(60);

  /** A cached key and when it stops working (a rotated key). */
  record Cached(ApiKey key, Optional<Instant> expiresAt) {
    boolean usableAt(Instant now) {
      return expiresAt.isEmpty() || expiresAt.get().isAfter(now);
    }
  }

  // Cache upkeep (eviction, expiry) runs on the request's own thread: Caffeine's default hands
  // it to the common ForkJoinPool, a thread wake-up every few requests on the API's hot path.
  private final Cache<String, Cached> cache =
      Caffeine.newBuilder()
          .maximumSize(100_000)
          .expireAfterWrite(TTL)
          .executor(Runnable::run)
          .build();
  private final AtomicLong epoch = new AtomicLong();
  private final Notifications notifications;

  private KeyCache(Notifications notifications) {
    this.notifications = notifications;
    notifications.subscribe(
        CHANNEL,
        new Notifications.Subscriber() {
          @Override
          public void notified(String hash) {
            invalidate(hash);
          }

          @Override
          public void reset() {
            invalidate("*");
          }
        });
  }

  /** A cache over {@code notifications}, which the caller starts once every cache subscribed. */
  public static KeyCache listening(Notifications notifications) {
    return new KeyCache(notifications);
  }

  /** No cache: every request is looked up (the operator commands, which run once). */
  public static KeyCache none() {
    return new KeyCache(Notifications.none());
  }

  /** The key cached for {@code hash}, if the cache is in use and it is usable at {@code now}. */
  Optional<ApiKey> get(String hash, Instant now) {
    if (!notifications.listening()) {
      return Optional.empty();
    }
    Cached c = cache.getIfPresent(hash);
    return c != null && c.usableAt(now) ? Optional.of(c.key()) : Optional.empty();
  }

  /** The current epoch: read before a lookup, passed to {@link #put}. */
  long epoch() {
    return epoch.get();
  }

  /** Stores a looked-up key unless a change was notified since {@code epochBeforeLookup}. */
  void put(String hash, Cached key, long epochBeforeLookup) {
    if (!notifications.listening()) {
      return;
    }
    // Racing with a notification, the loaded row may be older than the change: then not stored.
    synchronized (epoch) {
      if (epoch.get() == epochBeforeLookup) {
        cache.put(hash, key);
      }
    }
  }

  /** Drops {@code hash} (the change committed on this daemon); {@code *} drops everything. */
  void invalidate(String hash) {
    synchronized (epoch) {
      epoch.incrementAndGet();
      if (hash.equals("*")) {
        cache.invalidateAll();
      } else {
        cache.invalidate(hash);
      }
    }
  }

  /** Tells every daemon's cache, at the commit of {@code h}'s transaction, that a key changed. */
  static void notifyChanged(Handle h, String hash) {
    h.createQuery("SELECT pg_notify(:c, :h)")
        .bind("c", CHANNEL)
        .bind("h", hash)
        .mapTo(String.class)
        .findOne();
  }
}
