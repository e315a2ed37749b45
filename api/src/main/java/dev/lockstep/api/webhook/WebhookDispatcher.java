package dev.lockstep.api.webhook;

import dev.lockstep.api.event.EventPublisher;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook loop: every {@code interval} it publishes new outbox events ({@link EventPublisher}),
 * then claims the deliveries that are due and sends them concurrently ({@link WebhookSender}),
 * recording every attempt and scheduling the next one by {@link RetrySchedule} until the delivery
 * succeeds or is abandoned after the tenth attempt. A claim is a lease ({@code locked_until}, taken
 * with {@code FOR UPDATE SKIP LOCKED}), so several daemons share the work and a delivery whose
 * daemon died is sent again after the lease: delivery is at least once, and receivers deduplicate
 * on the delivery id. Deliveries of a disabled subscription wait (replays are sent regardless). Due
 * times use the injected clock. Once a minute the loop also runs the API's housekeeping (expired
 * idempotency records and rate-limit buckets). Thread-safe.
 */
public final class WebhookDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
  private static final int BATCH = 100;
  private static final Duration LEASE = WebhookSender.TIMEOUT.multipliedBy(3);

  private final Jdbi jdbi;
  private final EventPublisher publisher;
  private final WebhookSender sender;
  private final RetrySchedule schedule;
  private final List<Runnable> housekeeping;
  private final Clock clock;
  private final WebhookSecrets secrets;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "webhook-dispatcher");
            t.setDaemon(true);
            return t;
          });
  private final ExecutorService senders =
      Executors.newFixedThreadPool(
          8,
          r -> {
            Thread t = new Thread(r, "webhook-sender");
            t.setDaemon(true);
            return t;
          });
  private volatile Instant lastPurge = Instant.EPOCH;

  public WebhookDispatcher(
      Jdbi jdbi,
      EventPublisher publisher,
      WebhookSender sender,
      RetrySchedule schedule,
      List<Runnable> housekeeping,
      Clock clock,
      WebhookSecrets secrets) {
    this.secrets = secrets;
    this.jdbi = jdbi;
    this.publisher = publisher;
    this.sender = sender;
    this.schedule = schedule;
    this.housekeeping = List.copyOf(housekeeping);
    this.clock = clock;
  }

  /** Starts the loop, one round every {@code interval}. */
  public WebhookDispatcher start(Duration interval) {
    loop.scheduleWithFixedDelay(this::roundSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void roundSafely() {
    try {
      round();
    } catch (RuntimeException e) {
      log.warn("webhook round failed; retrying next round: {}", e.toString());
    }
  }

  /** One round: publish, then send what is due; returns the deliveries attempted. */
  public int round() {
    while (publisher.publish(BATCH) == BATCH) {
      // drain the outbox first, so deliveries are created in event order
    }
    int sent = 0;
    List<Claimed> due;
    do {
      due = claimDue();
      List<Future<?>> running =
          due.stream().<Future<?>>map(c -> senders.submit(() -> attempt(c))).toList();
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return sent;
        } catch (java.util.concurrent.ExecutionException e) {
          log.warn(
              "webhook attempt failed to record; the lease expires and it is retried: {}",
              e.getCause().toString());
        }
      }
      sent += due.size();
    } while (due.size() == BATCH);
    if (clock.instant().isAfter(lastPurge.plus(Duration.ofMinutes(1)))) {
      lastPurge = clock.instant();
      for (Runnable r : housekeeping) {
        try {
          r.run();
        } catch (RuntimeException e) {
          log.warn("api housekeeping failed (retried in a minute): {}", e.toString());
        }
      }
    }
    return sent;
  }

  private record Claimed(
      String id,
      String webhookId,
      String url,
      String body,
      String eventType,
      int attempts,
      Optional<Instant> firstAttempt,
      @Nullable String clearSecret,
      byte @Nullable [] sealedSecret) {}

  private List<Claimed> claimDue() {
    Instant now = clock.instant();
    return jdbi.inTransaction(
        h ->
            h.createQuery(
                    """
            UPDATE api.webhook_deliveries d SET locked_until = :lease
            FROM api.webhooks w
            WHERE w.id = d.webhook_id AND d.id IN (
              SELECT x.id FROM api.webhook_deliveries x JOIN api.webhooks y ON y.id = x.webhook_id
              WHERE x.status = 'pending' AND x.next_attempt_at <= :now AND (x.locked_until IS NULL OR x.locked_until < :now)
                AND (y.enabled OR x.replay_of IS NOT NULL)
              ORDER BY x.next_attempt_at LIMIT :n FOR UPDATE OF x SKIP LOCKED)
            RETURNING d.id, d.webhook_id, d.url, d.body, d.event_type, d.attempts, d.first_attempt_at, w.secret,
              w.secret_sealed""")
                .bind("lease", Timestamp.from(now.plus(LEASE)))
                .bind("now", Timestamp.from(now))
                .bind("n", BATCH)
                .map(
                    (rs, ctx) ->
                        new Claimed(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getInt(6),
                            Optional.ofNullable(rs.getTimestamp(7)).map(Timestamp::toInstant),
                            rs.getString(8),
                            rs.getBytes(9)))
                .list());
  }

  private void attempt(Claimed c) {
    String secret;
    try {
      secret = secrets.open(c.webhookId(), c.clearSecret(), c.sealedSecret());
    } catch (IllegalStateException e) {
      // Another daemon's key sealed it: nothing is sent (unsigned or wrongly signed) and the
      // delivery waits, its lease expiring, until a daemon with the right key takes it.
      log.error("delivery {} not sent: {}", c.id(), e.getMessage());
      return;
    }
    Instant at = clock.instant();
    WebhookSender.Outcome o =
        sender.send(c.url(), c.body(), secret, c.id(), c.eventType(), c.webhookId());
    int n = c.attempts() + 1;
    Instant first = c.firstAttempt().orElse(at);
    Optional<Instant> next = o.delivered() ? Optional.empty() : schedule.next(first, n);
    DeliveryStatus status =
        o.delivered()
            ? DeliveryStatus.DELIVERED
            : next.isPresent() ? DeliveryStatus.PENDING : DeliveryStatus.ABANDONED;
    jdbi.useTransaction(
        h -> {
          h.createUpdate(
                  """
              INSERT INTO api.webhook_attempts (delivery_id, attempt, attempted_at, url, status_code, latency_ms, error,
                response_excerpt)
              VALUES (:d, :n, :at, :url, :code, :ms, :err, :excerpt)""")
              .bind("d", c.id())
              .bind("n", n)
              .bind("at", Timestamp.from(at))
              .bind("url", c.url())
              .bind("code", o.statusCode().orElse(null))
              .bind("ms", o.latencyMs())
              .bind("err", o.error().orElse(null))
              .bind("excerpt", o.responseExcerpt().map(WebhookDispatcher::printable).orElse(null))
              .execute();
          h.createUpdate(
                  """
              UPDATE api.webhook_deliveries SET attempts = :n, status = :s, first_attempt_at = :first,
                next_attempt_at = :next, locked_until = NULL,
                delivered_at = CASE WHEN CAST(:s AS text) = 'delivered' THEN CAST(:at AS timestamptz) END,
                abandoned_at = CASE WHEN CAST(:s AS text) = 'abandoned' THEN CAST(:at AS timestamptz) END
              WHERE id = :d""")
              .bind("n", n)
              .bind("s", status.dbValue())
              .bind("first", Timestamp.from(first))
              .bind("next", next.map(Timestamp::from).orElse(null))
              .bind("at", Timestamp.from(at))
              .bind("d", c.id())
              .execute();
        });
    if (status == DeliveryStatus.ABANDONED) {
      log.warn(
          "webhook delivery {} of {} to {} abandoned after {} attempts (last: {})",
          c.id(),
          c.eventType(),
          c.url(),
          n,
          o.statusCode().map(s -> "HTTP " + s).orElse(o.error().orElse("?")));
    }
  }

  /** Text fit for a database column: no NUL characters. */
  private static String printable(String s) {
    return s.replace('\0', '?');
  }

  @Override
  public void close() {
    loop.shutdownNow();
    senders.shutdownNow();
    try {
      loop.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
