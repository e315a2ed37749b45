package dev.lockstep.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticated API keys by the SHA-256 of their secret, so a request with a known key costs no
 * database lookup. Only usable keys are cached (an unknown or revoked secret is always looked up,
 * behind the per-address limit of failures), each with its expiry, which is checked on every use.
 *
 * <p><b>Bound.</b> Every change that can make a cached key unusable (revoke, rotate) sends {@code
 * pg_notify('lockstep_api_keys', key_hash)} in its own transaction; every daemon {@code LISTEN}s on
 * a connection of its own and drops the entry when the notification arrives, which PostgreSQL
 * delivers at commit. The daemon that made the change also drops it at once. So a revoked key stops
 * working on the daemon that revoked it with the next request, and on the others within the
 * notification's delivery (milliseconds). The cache is used only while the listening connection is
 * up: it is checked every {@link #HEARTBEAT} with a query bounded by the connection's socket
 * timeout, and while it is down (or before it is up) every request is looked up, and the cache is
 * emptied when listening resumes. An entry also expires {@link #TTL} after it was loaded. A load
 * racing with a notification is not stored ({@link #epoch}). Thread-safe.
 */
public final class KeyCache implements AutoCloseable {
  /** The notification channel of key changes; the payload is the key's hash, or {@code *}. */
  public static final String CHANNEL = "lockstep_api_keys";

  /** Longest an entry lives without a notification (a safety net; notifications do the work). */
  public static final Duration TTL = Duration.ofSeconds(60);

  /** How often the listening connection is checked to be alive. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(KeyCache.class);

  /** Opens a connection for listening (not from the pool: it is held for the daemon's life). */
  @FunctionalInterface
  public interface Connector {
    Connection open() throws SQLException;
  }

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
  private final Connector connector;
  private volatile boolean listening;
  private volatile boolean closed;
  private final Thread thread;

  private KeyCache(Connector connector) {
    this.connector = connector;
    this.thread =
        connector == null
            ? null
            : Thread.ofPlatform().daemon().name("key-cache").unstarted(this::listen);
  }

  /** A cache listening through connections from {@code connector}; started at once. */
  public static KeyCache listening(Connector connector) {
    KeyCache c = new KeyCache(connector);
    c.thread.start();
    return c;
  }

  /** No cache: every request is looked up (the operator commands, which run once). */
  public static KeyCache none() {
    return new KeyCache(null);
  }

  /** The key cached for {@code hash}, if the cache is in use and it is usable at {@code now}. */
  Optional<ApiKey> get(String hash, Instant now) {
    if (!listening) {
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
    if (!listening) {
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

  private void listen() {
    long backoff = 100;
    boolean warned = false;
    while (!closed) {
      try (Connection c = connector.open()) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        invalidate("*");
        listening = true;
        if (warned) {
          log.info("api key cache listening again on {}", CHANNEL);
          warned = false;
        }
        backoff = 100;
        long nextBeat = System.nanoTime() + HEARTBEAT.toNanos();
        while (!closed) {
          PGNotification[] ns = pg.getNotifications((int) HEARTBEAT.toMillis() / 2);
          if (ns != null) {
            for (PGNotification n : ns) {
              invalidate(n.getParameter());
            }
          }
          if (System.nanoTime() > nextBeat) {
            try (Statement s = c.createStatement()) {
              s.execute("SELECT 1");
            }
            nextBeat = System.nanoTime() + HEARTBEAT.toNanos();
          }
        }
      } catch (SQLException | RuntimeException e) {
        listening = false;
        invalidate("*");
        if (!closed && !warned) {
          log.warn(
              "api key cache not listening ({}); every request looks its key up until it is",
              e.toString());
          warned = true;
        }
      }
      listening = false;
      if (!closed) {
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          return;
        }
        backoff = Math.min(5_000, backoff * 2);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    listening = false;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
