package dev.lockstep.api.idempotency;

import dev.lockstep.api.auth.ApiKey;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.api.error.RequestIds;
import dev.lockstep.ports.Mode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * {@code Idempotency-Key} on every POST (reference platform-docs "Idempotency"): the first response
 * (status, content type and body bytes) is stored and returned verbatim, with {@code
 * Idempotent-Replayed: true}, to every retry with the same key for {@link #RETENTION}; the same key
 * with another method, path or body is 409 {@code idempotency_mismatch}; a retry while the first
 * request still runs is 409 {@code idempotency_in_progress} (retryable), so the work never runs
 * twice. A 5xx answer is not kept: the next retry runs again. Keys are scoped to the tenant and
 * environment and are 1-128 printable ASCII characters.
 *
 * <p>The claim is its own committed row, taken with {@code INSERT ... ON CONFLICT DO NOTHING}, so
 * two daemons racing on one key serialise on the primary key. A claim whose daemon died is retaken
 * after {@link #LOCK}. The stored answer is sealed with the caller's own API key ({@link
 * SealedAnswers}): no secret it carries rests in clear, and only that key replays it. Times come
 * from the injected clock. Thread-safe.
 */
public final class Idempotency {
  /** How long a stored response is replayed: 24 hours. */
  public static final Duration RETENTION = Duration.ofHours(24);

  /** How long a running request holds its key before another daemon may take it over. */
  public static final Duration LOCK = Duration.ofSeconds(60);

  /** The request header. */
  public static final String HEADER = "Idempotency-Key";

  private static final String CLAIM = "lockstep.idempotency_claim";
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,128}");

  private static final String INSERT_CLAIM =
      """
      INSERT INTO api.idempotency_keys (tenant_id, mode, key, method, path, request_hash, request_id,
        locked_until, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

  private static final String STORE_ANSWER =
      """
      UPDATE api.idempotency_keys SET response_status = ?, response_type = ?, response_body = ?,
        locked_until = NULL
      WHERE tenant_id = ? AND mode = ? AND key = ?""";

  private final Jdbi jdbi;
  private final DataSource dataSource;
  private final Clock clock;

  /**
   * @param dataSource the pool {@code jdbi} is over: a new key's claim and its stored answer, on
   *     every POST that carries a key, go through plain JDBC (Jdbi's per-statement configuration
   *     copies were a tenth of a POST's time in the API bench's profile)
   */
  public Idempotency(Jdbi jdbi, DataSource dataSource, Clock clock) {
    this.jdbi = jdbi;
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** A claimed key and the caller's bearer secret, which seals the stored answer (never stored). */
  private record Claim(String tenantId, Mode mode, String key, String bearerSecret) {
    /** What a sealed answer is bound to besides the secret. */
    String scope() {
      return tenantId + "|" + mode.dbValue() + "|" + key;
    }
  }

  private record Stored(
      String requestHash,
      String requestId,
      Optional<Instant> lockedUntil,
      @Nullable Integer status,
      @Nullable String contentType,
      byte[] body,
      Instant createdAt) {
    Stored withBody(byte[] b) {
      return new Stored(requestHash, requestId, lockedUntil, status, contentType, b, createdAt);
    }
  }

  /**
   * Before the endpoint: claims the key, or answers a replay and skips the endpoint, or refuses.
   */
  private static final String REPLAYED = "lockstep.idempotent_replay";

  /** Whether {@link #before} answered this request with a stored answer (nothing else may run). */
  public static boolean replayed(Context ctx) {
    return Boolean.TRUE.equals(ctx.attribute(REPLAYED));
  }

  public void before(Context ctx) {
    String key = ctx.header(HEADER);
    if (key == null || !ctx.method().name().equals("POST")) {
      return;
    }
    if (!KEY.matcher(key).matches()) {
      throw ApiException.invalidParam(
          HEADER, "'Idempotency-Key' must be 1-128 printable ASCII characters");
    }
    ApiKey caller = Authenticator.keyOf(ctx);
    String hash = hash(ctx);
    Instant now = clock.instant();
    Claim claim = new Claim(caller.tenantId(), caller.mode(), key, Authenticator.bearerSecret(ctx));
    // A new key (the usual case) is claimed by one INSERT on its own; a key seen before is read,
    // locked and judged in a transaction that tries the INSERT again (the row may have been freed
    // in between).
    boolean claimed;
    try (Connection c = dataSource.getConnection()) {
      claimed = insertClaim(c, ctx, claim, hash, now) == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("claiming an Idempotency-Key: " + e.getMessage(), e);
    }
    Optional<Stored> replay =
        claimed
            ? Optional.empty()
            : jdbi.inTransaction(
                h -> {
                  if (reclaim(h, ctx, claim, hash, now)) {
                    return Optional.<Stored>empty();
                  }
                  Stored s = stored(h, claim).orElseThrow();
                  boolean expired = s.createdAt().plus(RETENTION).isBefore(now);
                  boolean abandoned =
                      s.status() == null && s.lockedUntil().map(now::isAfter).orElse(true);
                  if (expired || abandoned) {
                    h.createUpdate(
                            """
                UPDATE api.idempotency_keys SET method = :method, path = :path, request_hash = :hash, request_id = :rid,
                  locked_until = :lock, response_status = NULL, response_type = NULL, response_body = NULL,
                  created_at = CASE WHEN :expired THEN :now ELSE created_at END
                WHERE tenant_id = :t AND mode = :m AND key = :k""")
                        .bind("method", ctx.method().name())
                        .bind("path", ctx.path())
                        .bind("hash", hash)
                        .bind("rid", RequestIds.of(ctx))
                        .bind("lock", Timestamp.from(now.plus(LOCK)))
                        .bind("expired", expired)
                        .bind("now", Timestamp.from(now))
                        .bind("t", claim.tenantId())
                        .bind("m", claim.mode().dbValue())
                        .bind("k", key)
                        .execute();
                    return Optional.<Stored>empty();
                  }
                  if (!s.requestHash().equals(hash)) {
                    throw new ApiException(
                        ErrorCode.IDEMPOTENCY_MISMATCH,
                        "Key '"
                            + key
                            + "' was first used with a different "
                            + "method, path or body",
                        Map.of(
                            "original_request_id",
                            s.requestId(),
                            "action",
                            "Retry with a different Idempotency-Key."));
                  }
                  if (s.status() == null) {
                    ctx.header("Retry-After", "1");
                    throw new ApiException(
                        ErrorCode.IDEMPOTENCY_IN_PROGRESS,
                        "The first request with key '" + key + "' is still running; retry shortly",
                        Map.of("original_request_id", s.requestId(), "retry_after_seconds", 1));
                  }
                  Optional<byte[]> opened =
                      SealedAnswers.open(claim.bearerSecret(), claim.scope(), s.body());
                  if (opened.isEmpty()) {
                    throw new ApiException(
                        ErrorCode.IDEMPOTENCY_MISMATCH,
                        "Key '"
                            + key
                            + "' was first used with another API key; its answer is replayed"
                            + " only to that key",
                        Map.of(
                            "original_request_id",
                            s.requestId(),
                            "action",
                            "Retry with the original API key, or with a different Idempotency-Key."));
                  }
                  return Optional.of(s.withBody(opened.get()));
                });
    if (replay.isPresent()) {
      Stored s = replay.get();
      ctx.status(s.status())
          .header("Idempotent-Replayed", "true")
          .header("X-Original-Request-Id", s.requestId());
      if (s.contentType() != null) {
        ctx.contentType(s.contentType());
      }
      ctx.result(s.body());
      ctx.attribute(REPLAYED, true);
      ctx.skipRemainingHandlers();
    } else {
      ctx.attribute(CLAIM, claim);
    }
  }

  /** {@link #insertClaim} inside {@code h}'s transaction: whether the row was inserted. */
  private static boolean reclaim(Handle h, Context ctx, Claim claim, String hash, Instant now) {
    try {
      return insertClaim(h.getConnection(), ctx, claim, hash, now) == 1;
    } catch (SQLException e) {
      throw new IllegalStateException("claiming an Idempotency-Key: " + e.getMessage(), e);
    }
  }

  /** Claims the key for this request: 1 when the row was inserted, 0 when the key is known. */
  private static int insertClaim(Connection c, Context ctx, Claim claim, String hash, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_CLAIM)) {
      ps.setString(1, claim.tenantId());
      ps.setString(2, claim.mode().dbValue());
      ps.setString(3, claim.key());
      ps.setString(4, ctx.method().name());
      ps.setString(5, ctx.path());
      ps.setString(6, hash);
      ps.setString(7, RequestIds.of(ctx));
      ps.setTimestamp(8, Timestamp.from(now.plus(LOCK)));
      ps.setTimestamp(9, Timestamp.from(now));
      return ps.executeUpdate();
    }
  }

  /**
   * After the endpoint (and any error handler): stores the answer, or frees the key after a 5xx.
   */
  public void after(Context ctx) {
    Claim claim = ctx.attribute(CLAIM);
    if (claim == null) {
      return;
    }
    int status = ctx.statusCode();
    if (status >= 500) {
      jdbi.useHandle(
          h ->
              h.createUpdate(
                      "DELETE FROM api.idempotency_keys WHERE tenant_id = :t AND mode = :m AND key = :k")
                  .bind("t", claim.tenantId())
                  .bind("m", claim.mode().dbValue())
                  .bind("k", claim.key())
                  .execute());
      return;
    }
    String result = ctx.result();
    byte[] body = result == null ? new byte[0] : result.getBytes(StandardCharsets.UTF_8);
    byte[] sealed = SealedAnswers.seal(claim.bearerSecret(), claim.scope(), body);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(STORE_ANSWER)) {
      ps.setInt(1, status);
      ps.setString(2, ctx.res().getContentType());
      ps.setBytes(3, sealed);
      ps.setString(4, claim.tenantId());
      ps.setString(5, claim.mode().dbValue());
      ps.setString(6, claim.key());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("storing an idempotent answer: " + e.getMessage(), e);
    }
  }

  /** Deletes stored responses older than {@link #RETENTION}; returns how many. */
  public int purgeExpired() {
    return jdbi.withHandle(
        h ->
            h.createUpdate("DELETE FROM api.idempotency_keys WHERE created_at < :cutoff")
                .bind("cutoff", Timestamp.from(clock.instant().minus(RETENTION)))
                .execute());
  }

  private static Optional<Stored> stored(Handle h, Claim c) {
    return h.createQuery(
            """
            SELECT request_hash, request_id, locked_until, response_status, response_type, response_body, created_at
            FROM api.idempotency_keys WHERE tenant_id = :t AND mode = :m AND key = :k FOR UPDATE""")
        .bind("t", c.tenantId())
        .bind("m", c.mode().dbValue())
        .bind("k", c.key())
        .map(
            (rs, ctx) ->
                new Stored(
                    rs.getString(1),
                    rs.getString(2),
                    Optional.ofNullable(rs.getTimestamp(3)).map(Timestamp::toInstant),
                    (Integer) rs.getObject(4),
                    rs.getString(5),
                    rs.getBytes(6),
                    rs.getTimestamp(7).toInstant()))
        .findOne();
  }

  /** SHA-256 over method, path and raw body: what "the same request" means. */
  private static String hash(Context ctx) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update((ctx.method().name() + " " + ctx.path() + "\n").getBytes(StandardCharsets.UTF_8));
      d.update(ctx.bodyAsBytes());
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
