package dev.lockstep.api.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's reads kept in memory between requests, valid until anything the reads show changes for
 * that tenant, on this daemon or another. What is read is the caller's: a value loaded from the
 * database by the caller's query and kept under the caller's key, always within one tenant (a key
 * never crosses tenants). Used for the reads an integrator polls all day and whose rows only the
 * API writes: {@code GET /v1/customers/{id}} and the customer list (without its time- or
 * index-dependent filters).
 *
 * <p><b>Validity.</b> Each tenant has a generation. A kept value carries the generation read before
 * its query ran and is served only while the tenant's generation is still that one. Whoever writes
 * a row such a read shows calls {@link #changed(String)} once the write is over, which (1) moves
 * the tenant's generation on this daemon at once, so the writer's next read, on this daemon, sees
 * the write; and (2) queues {@code pg_notify('lockstep_api_reads', tenant)}, which a sender thread
 * commits at once, or, within {@link #SEND_GAP} of its previous one, at the gap's end together with
 * everything else queued meanwhile (PostgreSQL serialises the commits of notifying transactions, so
 * notifying inside every write would serialise the writes). Every daemon {@code LISTEN}s ({@link
 * Notifications}) and moves the tenant's generation when it arrives.
 *
 * <p><b>Bound.</b> A write through one daemon reaches the others' reads within the sender's gap,
 * its commit and the notification's delivery (milliseconds). The cache serves only while its daemon
 * is listening; a lost connection or a resumed one drops everything. What no {@link #changed} call
 * announces (a daemon that dies between its write and its notification, a row edited by hand) is
 * bounded by {@link #TTL}. A value weighs its rows; at most {@link #MAX_ROWS} rows are kept (least
 * recently used first out). Thread-safe.
 */
public final class TenantReads implements AutoCloseable {
  /** The notification channel of changed reads; the payload is the tenant's id. */
  public static final String CHANNEL = "lockstep_api_reads";

  /** Longest a value is kept without a notification (a safety net; notifications do the work). */
  public static final Duration TTL = Duration.ofSeconds(10);

  /**
   * Shortest time between two notifying transactions of one daemon: the first change after a quiet
   * spell is sent at once, those that follow within the gap together at its end.
   */
  public static final Duration SEND_GAP = Duration.ofMillis(5);

  /** Rows kept at most, across tenants (about 1 KB each). */
  public static final long MAX_ROWS = 50_000;

  private static final Logger log = LoggerFactory.getLogger(TenantReads.class);

  private record Key(String tenant, Object query) {}

  private record Kept(long epoch, long generation, @Nullable Object value, int rows) {}

  // Upkeep on the request's own thread, as in the key cache: no hand-off per few requests.
  private final Cache<Key, Kept> cache;
  private final ConcurrentHashMap<String, AtomicLong> generations = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();
  private final Notifications notifications;
  private final @Nullable DataSource dataSource;
  private final Set<String> queued = new LinkedHashSet<>();
  private final @Nullable Thread sender;
  private volatile boolean closed;

  private TenantReads(Notifications notifications, @Nullable DataSource dataSource) {
    this.notifications = notifications;
    this.dataSource = dataSource;
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(MAX_ROWS)
            .<Key, Kept>weigher((k, v) -> v.rows())
            .expireAfterWrite(TTL)
            .executor(Runnable::run)
            .recordStats()
            .build();
    notifications.subscribe(
        CHANNEL,
        new Notifications.Subscriber() {
          @Override
          public void notified(String tenant) {
            generation(tenant).incrementAndGet();
          }

          @Override
          public void reset() {
            epoch.incrementAndGet();
            cache.invalidateAll();
          }
        });
    this.sender =
        dataSource == null
            ? null
            : Thread.ofPlatform().daemon().name("reads-notifier").start(this::send);
  }

  /**
   * Reads kept over {@code notifications} (which the caller starts once every cache subscribed);
   * changes are announced through connections from {@code dataSource}.
   */
  public static TenantReads over(Notifications notifications, DataSource dataSource) {
    return new TenantReads(notifications, dataSource);
  }

  /** Reads kept over {@code notifications}, announcing changes to this daemon only (unit tests). */
  static TenantReads withoutSender(Notifications notifications) {
    return new TenantReads(notifications, null);
  }

  /** Keeps nothing (never listening): every read runs its query (the operator commands). */
  public static TenantReads none() {
    return new TenantReads(Notifications.none(), null);
  }

  /**
   * Reports the cache on {@code registry} as {@code
   * cache_gets_total{cache="api_reads",result=hit|miss}}, {@code cache_evictions_total} and {@code
   * cache_size} (Micrometer's Caffeine binder).
   */
  public TenantReads bindTo(MeterRegistry registry) {
    CaffeineCacheMetrics.monitor(registry, cache, "api_reads");
    return this;
  }

  private AtomicLong generation(String tenant) {
    return generations.computeIfAbsent(tenant, t -> new AtomicLong());
  }

  /**
   * {@code tenant}'s value for {@code query}: the one kept, if still valid, else {@code load}'s
   * (kept if nothing changed for the tenant while it loaded).
   *
   * @param query the read and its parameters, with value equality (a record); never shared between
   *     reads of different shapes
   * @param rows what the value weighs, in rows (at least 1)
   */
  @SuppressWarnings("unchecked")
  public <V> V read(String tenant, Object query, Supplier<V> load, ToIntFunction<V> rows) {
    if (!notifications.listening()) {
      return load.get();
    }
    Key key = new Key(tenant, query);
    long e = epoch.get();
    long g = generation(tenant).get();
    Kept kept = cache.getIfPresent(key);
    if (kept != null && kept.epoch() == e && kept.generation() == g) {
      return (V) kept.value();
    }
    V value = load.get();
    if (epoch.get() == e && generation(tenant).get() == g && notifications.listening()) {
      cache.put(key, new Kept(e, g, value, Math.max(1, rows.applyAsInt(value))));
    }
    return value;
  }

  /**
   * Something {@code tenant}'s reads show was written (call it after the write, committed or not):
   * this daemon's reads see it from now on, and the others' once the notification is delivered.
   */
  public void changed(String tenant) {
    generation(tenant).incrementAndGet();
    if (sender == null) {
      return;
    }
    synchronized (queued) {
      queued.add(tenant);
      queued.notifyAll();
    }
  }

  /** Commits the queued notifications, one transaction at a time, until closed and sent. */
  private void send() {
    long backoff = 100;
    while (true) {
      String[] tenants;
      synchronized (queued) {
        while (queued.isEmpty() && !closed) {
          try {
            queued.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (queued.isEmpty()) {
          return; // closed, and everything queued was sent
        }
        tenants = queued.toArray(String[]::new);
        queued.clear();
      }
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps =
              c.prepareStatement("SELECT count(pg_notify(?, t)) FROM unnest(?::text[]) t")) {
        ps.setString(1, CHANNEL);
        ps.setArray(2, c.createArrayOf("text", tenants));
        ps.executeQuery().close();
        backoff = 100;
        // What changes meanwhile waits for the next one: under a stream of writes, at most one
        // notifying transaction per gap instead of one per write.
        Thread.sleep(SEND_GAP.toMillis());
      } catch (InterruptedException e) {
        return;
      } catch (SQLException | RuntimeException e) {
        log.warn(
            "could not notify the other daemons of {} tenant(s) changed ({}); retrying",
            tenants.length,
            e.toString());
        if (closed) {
          return; // stopping: the others' reads are bounded by the TTL
        }
        synchronized (queued) {
          queued.addAll(java.util.Arrays.asList(tenants));
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(5_000, backoff * 2);
      }
    }
  }

  /** Sends what is queued (waiting up to a second for it), then stops the sender. */
  @Override
  public void close() {
    closed = true;
    synchronized (queued) {
      queued.notifyAll();
    }
    if (sender != null) {
      try {
        sender.join(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
