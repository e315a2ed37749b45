package dev.lockstep.api.cache;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's one PostgreSQL {@code LISTEN} connection, shared by every cache that must drop what
 * another daemon changed. PostgreSQL delivers a notification when the transaction that sent it
 * commits; this class hands its payload to the channel's subscribers.
 *
 * <p>A cache may serve from memory only while {@link #listening()} is true: the connection is up
 * and {@code LISTEN}s on every subscribed channel. It is checked every {@link #HEARTBEAT} with a
 * query bounded by the connection's socket timeout. Whenever listening stops or starts again, every
 * subscriber's {@link Subscriber#reset()} runs (what was cached may have missed a notification),
 * and the connection is opened again with a backoff of 0.1 s doubling to 5 s. Thread-safe;
 * subscribe before {@link #start()}.
 */
public final class Notifications implements AutoCloseable {
  /** How often the listening connection is checked to be alive. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(2);

  /**
   * The {@code application_name} of the listening connection, as {@code pg_stat_activity} shows.
   */
  public static final String APPLICATION_NAME = "lockstep-listener";

  private static final Logger log = LoggerFactory.getLogger(Notifications.class);

  /** Opens a connection for listening (not from the pool: it is held for the daemon's life). */
  @FunctionalInterface
  public interface Connector {
    Connection open() throws SQLException;
  }

  /** What a cache does with its channel's notifications. */
  public interface Subscriber {
    /** A notification on the channel, with its payload. */
    void notified(String payload);

    /** Listening stopped or started again: anything cached may be stale. */
    void reset();
  }

  private final @Nullable Connector connector;
  private final Map<String, List<Subscriber>> channels = new ConcurrentHashMap<>();
  private volatile boolean listening;
  private volatile boolean closed;
  private @Nullable Thread thread;

  private Notifications(@Nullable Connector connector) {
    this.connector = connector;
  }

  /** Listens through connections from {@code connector} once {@link #start()}ed. */
  public static Notifications over(Connector connector) {
    return new Notifications(connector);
  }

  /** Never listening: caches over it keep nothing (the operator commands, which run once). */
  public static Notifications none() {
    return new Notifications(null);
  }

  /**
   * Hands {@code channel}'s notifications to {@code subscriber}.
   *
   * @param channel a PostgreSQL identifier ({@code [a-z_]+})
   * @throws IllegalStateException after {@link #start()}
   */
  public synchronized void subscribe(String channel, Subscriber subscriber) {
    if (!channel.matches("[a-z_]+")) {
      throw new IllegalArgumentException("channel must match [a-z_]+: " + channel);
    }
    if (thread != null) {
      throw new IllegalStateException("subscribe before start");
    }
    channels.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(subscriber);
  }

  /** Starts listening on a thread of its own (nothing without a connector). */
  public synchronized Notifications start() {
    if (connector != null && thread == null) {
      thread = Thread.ofPlatform().daemon().name("db-listener").start(this::listen);
    }
    return this;
  }

  /** Whether the connection is up and listening on every channel: caches may serve from memory. */
  public boolean listening() {
    return listening;
  }

  /** Hands a notification to its channel's subscribers. */
  void deliver(String channel, String payload) {
    for (Subscriber s : channels.getOrDefault(channel, List.of())) {
      s.notified(payload);
    }
  }

  /**
   * Listening, with no connection: notifications come only through {@link #deliver} (unit tests of
   * the caches' rules).
   */
  static Notifications listeningWithoutConnection() {
    Notifications n = new Notifications(null);
    n.listening = true;
    return n;
  }

  private void resetAll() {
    channels.values().forEach(subs -> subs.forEach(Subscriber::reset));
  }

  private void listen() {
    long backoff = 100;
    boolean warned = false;
    while (!closed) {
      try (Connection c = connector.open()) {
        try (Statement s = c.createStatement()) {
          for (String channel : channels.keySet()) {
            s.execute("LISTEN " + channel);
          }
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        resetAll();
        listening = true;
        if (warned) {
          log.info("listening again on {}", channels.keySet());
          warned = false;
        }
        backoff = 100;
        long nextBeat = System.nanoTime() + HEARTBEAT.toNanos();
        while (!closed) {
          PGNotification[] ns = pg.getNotifications((int) HEARTBEAT.toMillis() / 2);
          if (ns != null) {
            for (PGNotification n : ns) {
              deliver(n.getName(), n.getParameter());
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
        resetAll();
        if (!closed && !warned) {
          log.warn(
              "not listening on {} ({}); the caches step aside until it is",
              channels.keySet(),
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
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }
}
