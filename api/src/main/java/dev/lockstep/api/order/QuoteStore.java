package dev.lockstep.api.order;

import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.ports.Mode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import tools.jackson.databind.json.JsonMapper;

/**
 * Table {@code api.quotes}: each quote as answered, held for its tenant and environment until it
 * expires; an order referencing it is priced from the stored quote, never re-priced. Expired quotes
 * are purged a day after expiry (they answer {@code quote_expired} until then). Thread-safe.
 */
public final class QuoteStore {
  /** How long after expiry a quote is kept (to answer {@code quote_expired}, not "not found"). */
  static final Duration KEEP_EXPIRED = Duration.ofDays(1);

  private final Jdbi jdbi;
  private final JsonMapper json;
  private final Clock clock;

  public QuoteStore(Jdbi jdbi, JsonMapper json, Clock clock) {
    this.jdbi = jdbi;
    this.json = json;
    this.clock = clock;
  }

  /** Stores {@code q} for the tenant. */
  void save(String tenantId, Mode mode, Quote q) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
            INSERT INTO api.quotes (id, tenant_id, mode, body, expires_at, created_at)
            VALUES (:id, :t, :m, :b, :exp, :now)""")
                .bind("id", q.id())
                .bind("t", tenantId)
                .bind("m", mode.dbValue())
                .bind("b", json.writeValueAsString(q))
                .bind("exp", Timestamp.from(q.expiresAt()))
                .bind("now", Timestamp.from(q.createdAt()))
                .execute());
  }

  /**
   * The tenant's unexpired quote {@code id}.
   *
   * @throws ApiException {@code quote_not_found} (another tenant's quote answers alike), {@code
   *     quote_expired} once it is 30 s old
   */
  Quote live(String tenantId, Mode mode, String id) {
    String body =
        jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT body FROM api.quotes WHERE id = :id AND tenant_id = :t AND mode = :m")
                        .bind("id", id)
                        .bind("t", tenantId)
                        .bind("m", mode.dbValue())
                        .mapTo(String.class)
                        .findOne())
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.QUOTE_NOT_FOUND,
                        "No quote with id '" + id + "'",
                        Map.of("quote_id", id)));
    Quote q = json.readValue(body, Quote.class);
    if (!clock.instant().isBefore(q.expiresAt())) {
      throw new ApiException(
          ErrorCode.QUOTE_EXPIRED,
          "Quote " + id + " expired at " + q.expiresAt() + "; ask for a new one",
          Map.of("quote_id", id, "expired_at", q.expiresAt().toString()));
    }
    return q;
  }

  /** Deletes quotes expired more than a day ago; the webhook loop's housekeeping calls it. */
  public void purgeExpired() {
    jdbi.useHandle(
        h ->
            h.createUpdate("DELETE FROM api.quotes WHERE expires_at < :before")
                .bind("before", Timestamp.from(clock.instant().minus(KEEP_EXPIRED)))
                .execute());
  }
}
