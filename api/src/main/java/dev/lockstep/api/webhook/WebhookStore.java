package dev.lockstep.api.webhook;

import dev.lockstep.api.Ids;
import dev.lockstep.api.ListPage;
import dev.lockstep.api.Pagination;
import dev.lockstep.indexer.model.StoredEnum;
import dev.lockstep.indexer.store.Columns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Webhook subscriptions, deliveries and attempts ({@code api.webhooks}, {@code
 * api.webhook_deliveries}, {@code api.webhook_attempts}), always scoped to one tenant. Thread-safe.
 */
public final class WebhookStore {
  private static final String SELECT_WEBHOOK =
      "SELECT seq, id, url, events, enabled, description, created_at, updated_at FROM api.webhooks";
  private static final String SELECT_DELIVERY =
      """
      SELECT seq, id, webhook_id, event_id, event_type, url, status, attempts, next_attempt_at, replay_of, created_at,
        delivered_at, abandoned_at FROM api.webhook_deliveries""";

  private final Jdbi jdbi;
  private final WebhookSecrets secrets;
  private final Clock clock;

  /**
   * @param secrets how signing secrets are kept at rest (sealed under the daemon's key)
   */
  public WebhookStore(Jdbi jdbi, Clock clock, WebhookSecrets secrets) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.secrets = secrets;
  }

  /**
   * Seals every secret still stored in clear (rows written before the daemon had a key, or by one
   * without); nothing without a key.
   *
   * @return how many were sealed
   */
  public int sealClearSecrets() {
    if (!secrets.sealing()) {
      return 0;
    }
    return jdbi.inTransaction(
        h -> {
          var rows =
              h.createQuery(
                      "SELECT id, secret FROM api.webhooks WHERE secret IS NOT NULL FOR UPDATE")
                  .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getString(2)))
                  .list();
          for (var row : rows) {
            h.createUpdate(
                    "UPDATE api.webhooks SET secret = NULL, secret_sealed = :s WHERE id = :id")
                .bind("s", secrets.seal(row.getKey(), row.getValue()).orElseThrow())
                .bind("id", row.getKey())
                .execute();
          }
          return rows.size();
        });
  }

  /** Creates a subscription; the answer carries its secret. */
  public Webhook create(
      String tenantId,
      String url,
      List<String> events,
      String secret,
      Optional<String> description,
      boolean enabled) {
    return jdbi.inTransaction(
        h -> {
          String id = Ids.next("whk_");
          Timestamp now = Timestamp.from(clock.instant());
          h.createUpdate(
                  """
              INSERT INTO api.webhooks (id, tenant_id, url, events, secret, secret_sealed, enabled, description,
                created_at, updated_at)
              VALUES (:id, :t, :url, :events, :secret, :sealed, :enabled, :d, :now, :now)""")
              .bind("id", id)
              .bind("t", tenantId)
              .bind("url", url)
              .bindArray("events", String.class, events)
              .bind("secret", secrets.sealing() ? null : secret)
              .bind("sealed", secrets.seal(id, secret).orElse(null))
              .bind("enabled", enabled)
              .bind("d", description.orElse(null))
              .bind("now", now)
              .execute();
          Webhook w = find(h, tenantId, id).orElseThrow();
          return new Webhook(
              w.id(),
              w.object(),
              w.url(),
              w.events(),
              w.enabled(),
              w.description(),
              w.createdAt(),
              w.updatedAt(),
              Optional.of(secret));
        });
  }

  /**
   * Changes the given fields of the tenant's subscription {@code id}; empty if it has none such.
   */
  public Optional<Webhook> update(
      String tenantId,
      String id,
      Optional<String> url,
      Optional<List<String>> events,
      Optional<Boolean> enabled,
      Optional<String> description) {
    return jdbi.inTransaction(
        h -> {
          int n =
              h.createUpdate(
                      """
              UPDATE api.webhooks SET url = coalesce(:url, url), events = coalesce(:events, events),
                enabled = coalesce(:enabled, enabled), description = coalesce(:d, description), updated_at = :now
              WHERE id = :id AND tenant_id = :t""")
                  .bind("url", url.orElse(null))
                  .bindArray("events", String.class, events.orElse(null))
                  .bind("enabled", enabled.orElse(null))
                  .bind("d", description.orElse(null))
                  .bind("now", Timestamp.from(clock.instant()))
                  .bind("id", id)
                  .bind("t", tenantId)
                  .execute();
          return n == 0 ? Optional.empty() : find(h, tenantId, id);
        });
  }

  public Optional<Webhook> find(String tenantId, String id) {
    return jdbi.withHandle(h -> find(h, tenantId, id));
  }

  public ListPage<Webhook> list(String tenantId, Pagination page) {
    return jdbi.withHandle(
        h ->
            page.page(
                h,
                SELECT_WEBHOOK + " WHERE tenant_id = :t",
                Map.of("t", tenantId),
                Pagination.seqIn(h, "api.webhooks", tenantId),
                (rs, ctx) -> webhook(rs),
                Webhook::id));
  }

  /** The tenant's deliveries, newest first, optionally of one subscription and in one status. */
  public ListPage<Delivery> deliveries(
      String tenantId,
      Optional<String> webhookId,
      Optional<DeliveryStatus> status,
      Pagination page) {
    StringBuilder sql = new StringBuilder(SELECT_DELIVERY + " WHERE tenant_id = :t");
    Map<String, Object> binds = new HashMap<>(Map.of("t", tenantId));
    webhookId.ifPresent(
        w -> {
          sql.append(" AND webhook_id = :w");
          binds.put("w", w);
        });
    status.ifPresent(
        s -> {
          sql.append(" AND status = :s");
          binds.put("s", s.dbValue());
        });
    return jdbi.withHandle(
        h ->
            page.page(
                h,
                sql.toString(),
                binds,
                Pagination.seqIn(h, "api.webhook_deliveries", tenantId),
                (rs, ctx) -> delivery(rs, Optional.empty()),
                Delivery::id));
  }

  /** The tenant's delivery {@code id} with all its attempts. */
  public Optional<Delivery> delivery(String tenantId, String id) {
    return jdbi.withHandle(
        h -> {
          List<Delivery.Attempt> attempts =
              h.createQuery(
                      """
              SELECT attempt, attempted_at, url, status_code, latency_ms, error, response_excerpt
              FROM api.webhook_attempts WHERE delivery_id = :id ORDER BY attempt""")
                  .bind("id", id)
                  .map(
                      (rs, ctx) ->
                          new Delivery.Attempt(
                              rs.getInt(1),
                              rs.getTimestamp(2).toInstant(),
                              rs.getString(3),
                              Optional.ofNullable((Integer) rs.getObject(4)),
                              rs.getLong(5),
                              Optional.ofNullable(rs.getString(6)),
                              Optional.ofNullable(rs.getString(7))))
                  .list();
          return h.createQuery(SELECT_DELIVERY + " WHERE id = :id AND tenant_id = :t")
              .bind("id", id)
              .bind("t", tenantId)
              .map((rs, ctx) -> delivery(rs, Optional.of(attempts)))
              .findOne();
        });
  }

  /**
   * Queues a replay of the tenant's delivery {@code id} (same event, same body) to {@code url} or
   * the subscription's current URL, due at once.
   */
  public Optional<Delivery> replay(String tenantId, String id, Optional<String> url) {
    return jdbi.inTransaction(
        h -> replay(h, tenantId, id, url).flatMap(newId -> delivery(h, tenantId, newId)));
  }

  /**
   * Queues a replay of every abandoned delivery of the tenant's subscription {@code webhookId}
   * created in {@code [from, to)} that has no replay pending or delivered yet.
   *
   * @return the new deliveries' ids; empty if the tenant has no such subscription
   */
  public Optional<List<String>> replayAbandoned(
      String tenantId, String webhookId, Instant from, Instant to, Optional<String> url) {
    return jdbi.inTransaction(
        h -> {
          if (find(h, tenantId, webhookId).isEmpty()) {
            return Optional.empty();
          }
          List<String> originals =
              h.createQuery(
                      """
              SELECT d.id FROM api.webhook_deliveries d
              WHERE d.tenant_id = :t AND d.webhook_id = :w AND d.status = 'abandoned'
                AND d.created_at >= :from AND d.created_at < :to
                AND NOT EXISTS (SELECT 1 FROM api.webhook_deliveries r WHERE r.replay_of = d.id AND r.status <> 'abandoned')
              ORDER BY d.seq""")
                  .bind("t", tenantId)
                  .bind("w", webhookId)
                  .bind("from", Timestamp.from(from))
                  .bind("to", Timestamp.from(to))
                  .mapTo(String.class)
                  .list();
          List<String> created = new ArrayList<>();
          for (String original : originals) {
            replay(h, tenantId, original, url).ifPresent(created::add);
          }
          return Optional.of(created);
        });
  }

  private Optional<String> replay(Handle h, String tenantId, String id, Optional<String> url) {
    String newId = Ids.next("wh_");
    Timestamp now = Timestamp.from(clock.instant());
    int n =
        h.createUpdate(
                """
            INSERT INTO api.webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, url, body, status,
              next_attempt_at, replay_of, created_at)
            SELECT :new, d.tenant_id, d.webhook_id, d.event_id, d.event_type, coalesce(:url, w.url), d.body, 'pending',
              :now, d.id, :now
            FROM api.webhook_deliveries d JOIN api.webhooks w ON w.id = d.webhook_id
            WHERE d.id = :id AND d.tenant_id = :t""")
            .bind("new", newId)
            .bind("url", url.orElse(null))
            .bind("now", now)
            .bind("id", id)
            .bind("t", tenantId)
            .execute();
    return n == 0 ? Optional.empty() : Optional.of(newId);
  }

  private static Optional<Delivery> delivery(Handle h, String tenantId, String id) {
    return h.createQuery(SELECT_DELIVERY + " WHERE id = :id AND tenant_id = :t")
        .bind("id", id)
        .bind("t", tenantId)
        .map((rs, ctx) -> delivery(rs, Optional.empty()))
        .findOne();
  }

  private static Optional<Webhook> find(Handle h, String tenantId, String id) {
    return h.createQuery(SELECT_WEBHOOK + " WHERE id = :id AND tenant_id = :t")
        .bind("id", id)
        .bind("t", tenantId)
        .map((rs, ctx) -> webhook(rs))
        .findOne();
  }

  private static Webhook webhook(ResultSet rs) throws SQLException {
    return new Webhook(
        rs.getString("id"),
        "webhook",
        rs.getString("url"),
        List.of((String[]) rs.getArray("events").getArray()),
        rs.getBoolean("enabled"),
        Optional.ofNullable(rs.getString("description")),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        Optional.empty());
  }

  private static Delivery delivery(ResultSet rs, Optional<List<Delivery.Attempt>> attempts)
      throws SQLException {
    return new Delivery(
        rs.getString("id"),
        "webhook_delivery",
        rs.getString("webhook_id"),
        rs.getString("event_id"),
        rs.getString("event_type"),
        rs.getString("url"),
        StoredEnum.fromDb(DeliveryStatus.class, rs.getString("status")),
        rs.getInt("attempts"),
        Columns.instant(rs, "next_attempt_at"),
        Optional.ofNullable(rs.getString("replay_of")),
        rs.getTimestamp("created_at").toInstant(),
        Columns.instant(rs, "delivered_at"),
        Columns.instant(rs, "abandoned_at"),
        attempts);
  }
}
