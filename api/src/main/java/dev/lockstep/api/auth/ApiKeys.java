package dev.lockstep.api.auth;

import dev.lockstep.api.Ids;
import dev.lockstep.api.ListPage;
import dev.lockstep.api.Pagination;
import dev.lockstep.indexer.model.StoredEnum;
import dev.lockstep.indexer.store.Columns;
import dev.lockstep.ports.Mode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * API keys in table {@code api.api_keys}, each belonging to a tenant ({@code api.tenants}). A
 * secret is {@code sk_test_} or {@code sk_live_} followed by 32 random base-62 characters (about
 * 190 bits); only its SHA-256 is stored, so a database leak reveals no usable key. Rotation is
 * atomic: the successor works at once and the old key keeps working for {@link #ROTATION_GRACE}
 * (reference platform-docs "Rotation"); revocation is immediate. Times come from the injected
 * clock. Thread-safe.
 */
public final class ApiKeys {
  /** How long a rotated key keeps working: five minutes. */
  public static final Duration ROTATION_GRACE = Duration.ofMinutes(5);

  private static final String SELECT =
      """
      SELECT id, seq, tenant_id, mode, scope, key_prefix, created_at, expires_at, revoked_at, replaced_by
      FROM api.api_keys""";

  private final Jdbi jdbi;
  private final Clock clock;
  private final KeyCache cache;

  /** Keys without a cache: every authentication is a lookup (the operator commands). */
  public ApiKeys(Jdbi jdbi, Clock clock) {
    this(jdbi, clock, KeyCache.none());
  }

  /**
   * @param cache where authenticated keys are kept between requests ({@link KeyCache} states its
   *     bound); revocations and rotations made here notify it and every other daemon's
   */
  public ApiKeys(Jdbi jdbi, Clock clock, KeyCache cache) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.cache = cache;
  }

  /**
   * A key as the API shows it; the secret only in the answer that created it.
   *
   * @param prefix the first 12 characters of the secret ({@code sk_test_AbCd}), to recognise it
   * @param expiresAt when a rotated key stops working
   * @param replacedBy the key that replaced it on rotation
   */
  public record KeyInfo(
      String id,
      String object,
      Mode mode,
      Scope scope,
      String prefix,
      Instant createdAt,
      Optional<Instant> expiresAt,
      Optional<Instant> revokedAt,
      Optional<String> replacedBy,
      Optional<String> secret) {
    KeyInfo withSecret(String s) {
      return new KeyInfo(
          id,
          object,
          mode,
          scope,
          prefix,
          createdAt,
          expiresAt,
          revokedAt,
          replacedBy,
          Optional.of(s));
    }
  }

  /**
   * Creates a key (and its tenant, with tier {@code startup}, if new) and returns its secret, which
   * is not stored and cannot be shown again.
   */
  public String create(String tenantId, Mode mode, Scope scope) {
    return jdbi.inTransaction(
        h -> {
          h.createUpdate(
                  "INSERT INTO api.tenants (id, created_at) VALUES (:t, :at) ON CONFLICT DO NOTHING")
              .bind("t", tenantId)
              .bind("at", Timestamp.from(clock.instant()))
              .execute();
          return insert(h, tenantId, mode, scope).secret().orElseThrow();
        });
  }

  /** A tenant as operators administer it. */
  public record Tenant(String id, String tier, Instant createdAt, int activeKeys) {}

  /** The rate-limit tiers a tenant can have (reference platform-docs "Rate limits"). */
  public static final java.util.List<String> TIERS =
      Tier.tenantTiers().stream().map(Tier::dbValue).toList();

  /**
   * Creates tenant {@code id} with {@code tier}.
   *
   * @return false if it already exists (nothing changes)
   * @throws IllegalArgumentException if {@code tier} is none of {@link #TIERS}
   */
  public boolean createTenant(String id, String tier) {
    if (!TIERS.contains(tier)) {
      throw new IllegalArgumentException("tier must be one of " + TIERS + ": " + tier);
    }
    return jdbi.withHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO api.tenants (id, tier, created_at) VALUES (:t, :tier, :at) ON CONFLICT DO NOTHING")
                    .bind("t", id)
                    .bind("tier", tier)
                    .bind("at", Timestamp.from(clock.instant()))
                    .execute())
        == 1;
  }

  /** Every tenant, oldest first, with its count of usable keys. */
  public java.util.List<Tenant> tenants() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT t.id, t.tier, t.created_at,
                      (SELECT count(*) FROM api.api_keys k WHERE k.tenant_id = t.id AND k.revoked_at IS NULL
                         AND (k.expires_at IS NULL OR k.expires_at > :now)) AS active
                    FROM api.tenants t ORDER BY t.created_at, t.id""")
                .bind("now", Timestamp.from(clock.instant()))
                .map(
                    (rs, ctx) ->
                        new Tenant(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getTimestamp(3).toInstant(),
                            rs.getInt(4)))
                .list());
  }

  /** Whether tenant {@code id} exists. */
  public boolean tenantExists(String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT 1 FROM api.tenants WHERE id = :t")
                .bind("t", id)
                .mapTo(Integer.class)
                .findOne()
                .isPresent());
  }

  /**
   * Revokes key {@code id} whatever its tenant (operator command {@code lockstep keys revoke}).
   *
   * @return the key after the call; empty if no key has that id
   */
  public Optional<KeyInfo> revokeById(String id) {
    Optional<String> tenant =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT tenant_id FROM api.api_keys WHERE id = :id")
                    .bind("id", id)
                    .mapTo(String.class)
                    .findOne());
    return tenant.flatMap(t -> revoke(t, id));
  }

  /** Creates a key for an existing tenant (POST /v1/api_keys); the answer carries the secret. */
  public KeyInfo createFor(String tenantId, Mode mode, Scope scope) {
    return jdbi.inTransaction(h -> insert(h, tenantId, mode, scope));
  }

  /**
   * Rotates key {@code id} of {@code tenantId}: a new key with the same mode and scope is created
   * and the old one expires after {@link #ROTATION_GRACE}.
   *
   * @return the successor, with its secret; empty if the tenant has no such key
   * @throws IllegalStateException if the key is revoked, expired or already rotated
   */
  public Optional<KeyInfo> rotate(String tenantId, String id) {
    List<String> changed = new ArrayList<>();
    return changing(
        h -> {
          Optional<KeyInfo> old =
              h.createQuery(SELECT + " WHERE id = :id AND tenant_id = :t FOR UPDATE")
                  .bind("id", id)
                  .bind("t", tenantId)
                  .map((rs, ctx) -> info(rs))
                  .findOne();
          if (old.isEmpty()) {
            return Optional.empty();
          }
          KeyInfo k = old.get();
          if (k.revokedAt().isPresent()
              || k.replacedBy().isPresent()
              || k.expiresAt().isPresent()) {
            throw new IllegalStateException(
                "key " + id + " is revoked, expiring or already rotated");
          }
          KeyInfo next = insert(h, tenantId, k.mode(), k.scope());
          String hash =
              h.createQuery(
                      "UPDATE api.api_keys SET expires_at = :exp, replaced_by = :next WHERE id = :id"
                          + " RETURNING key_hash")
                  .bind("exp", Timestamp.from(clock.instant().plus(ROTATION_GRACE)))
                  .bind("next", next.id())
                  .bind("id", id)
                  .mapTo(String.class)
                  .one();
          KeyCache.notifyChanged(h, hash);
          changed.add(hash);
          return Optional.of(next);
        },
        changed);
  }

  /** Revokes key {@code id} of {@code tenantId} at once; revoking twice keeps the first time. */
  public Optional<KeyInfo> revoke(String tenantId, String id) {
    List<String> changed = new ArrayList<>();
    return changing(
        h -> {
          h.createQuery(
                  "UPDATE api.api_keys SET revoked_at = :at WHERE id = :id AND tenant_id = :t AND revoked_at IS NULL"
                      + " RETURNING key_hash")
              .bind("at", Timestamp.from(clock.instant()))
              .bind("id", id)
              .bind("t", tenantId)
              .mapTo(String.class)
              .findOne()
              .ifPresent(
                  hash -> {
                    KeyCache.notifyChanged(h, hash);
                    changed.add(hash);
                  });
          return find(h, tenantId, id);
        },
        changed);
  }

  /**
   * Runs a transaction that changes keys (each notified in it), then drops the changed keys from
   * this daemon's cache at once, after the commit.
   */
  private <T> T changing(
      org.jdbi.v3.core.HandleCallback<T, RuntimeException> tx, List<String> changed) {
    try {
      return jdbi.inTransaction(tx);
    } finally {
      changed.forEach(cache::invalidate);
    }
  }

  /** Key {@code id}, if it is the tenant's. */
  public Optional<KeyInfo> find(String tenantId, String id) {
    return jdbi.withHandle(h -> find(h, tenantId, id));
  }

  /** The tenant's keys, newest first. */
  public ListPage<KeyInfo> list(String tenantId, Pagination page) {
    return jdbi.withHandle(
        h ->
            page.page(
                h,
                SELECT + " WHERE tenant_id = :t",
                Map.of("t", tenantId),
                Pagination.seqIn(h, "api.api_keys", tenantId),
                (rs, ctx) -> info(rs),
                KeyInfo::id));
  }

  /**
   * The usable (not revoked, not expired) key whose secret is {@code secret}: from the cache when
   * it holds the key (see {@link KeyCache} for how soon a change reaches it), else looked up.
   */
  public Optional<ApiKey> authenticate(String secret) {
    return authenticate(secret, () -> {});
  }

  /**
   * As {@link #authenticate(String)}, running {@code beforeLookup} first when the cache does not
   * hold the key and the database must be asked (it may throw to refuse the lookup).
   */
  public Optional<ApiKey> authenticate(String secret, Runnable beforeLookup) {
    String hash = sha256(secret);
    Instant now = clock.instant();
    Optional<ApiKey> cached = cache.get(hash, now);
    if (cached.isPresent()) {
      return cached;
    }
    beforeLookup.run();
    long epoch = cache.epoch();
    Optional<KeyCache.Cached> found =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        """
            SELECT k.id, k.tenant_id, k.mode, k.scope, t.tier, k.expires_at FROM api.api_keys k JOIN api.tenants t ON t.id = k.tenant_id
            WHERE k.key_hash = :h AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > :now)""")
                    .bind("h", hash)
                    .bind("now", Timestamp.from(now))
                    .map(
                        (rs, ctx) ->
                            new KeyCache.Cached(
                                new ApiKey(
                                    rs.getString(1),
                                    rs.getString(2),
                                    StoredEnum.fromDb(Mode.class, rs.getString(3)),
                                    StoredEnum.fromDb(Scope.class, rs.getString(4)),
                                    StoredEnum.fromDb(Tier.class, rs.getString(5))),
                                Columns.instant(rs, "expires_at")))
                    .findOne());
    found.ifPresent(k -> cache.put(hash, k, epoch));
    return found.map(KeyCache.Cached::key);
  }

  private KeyInfo insert(Handle h, String tenantId, Mode mode, Scope scope) {
    String secret = Ids.random(mode.keyPrefix(), 32);
    String id = Ids.next("key_");
    h.createUpdate(
            """
            INSERT INTO api.api_keys (id, tenant_id, key_hash, key_prefix, mode, scope, created_at)
            VALUES (:id, :t, :h, :p, :m, :s, :at)""")
        .bind("id", id)
        .bind("t", tenantId)
        .bind("h", sha256(secret))
        .bind("p", secret.substring(0, 12))
        .bind("m", mode.dbValue())
        .bind("s", scope.dbValue())
        .bind("at", Timestamp.from(clock.instant()))
        .execute();
    return find(h, tenantId, id).orElseThrow().withSecret(secret);
  }

  private static Optional<KeyInfo> find(Handle h, String tenantId, String id) {
    return h.createQuery(SELECT + " WHERE id = :id AND tenant_id = :t")
        .bind("id", id)
        .bind("t", tenantId)
        .map((rs, ctx) -> info(rs))
        .findOne();
  }

  private static KeyInfo info(ResultSet rs) throws SQLException {
    return new KeyInfo(
        rs.getString("id"),
        "api_key",
        StoredEnum.fromDb(Mode.class, rs.getString("mode")),
        StoredEnum.fromDb(Scope.class, rs.getString("scope")),
        rs.getString("key_prefix"),
        rs.getTimestamp("created_at").toInstant(),
        Columns.instant(rs, "expires_at"),
        Columns.instant(rs, "revoked_at"),
        Optional.ofNullable(rs.getString("replaced_by")),
        Optional.empty());
  }

  /** Lowercase hex SHA-256 of {@code s} (UTF-8). */
  public static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
