package dev.lockstep.api.customer;

import dev.lockstep.api.Ids;
import dev.lockstep.api.ListPage;
import dev.lockstep.api.Pagination;
import dev.lockstep.api.cache.TenantReads;
import dev.lockstep.indexer.store.Columns;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.ports.Mode;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Customers and attestations in {@code api.customers} / {@code api.attestations}, always scoped to
 * one tenant. An upsert is one transaction: the customer row (created, or its wallet updated) and
 * the appended attestation commit together. Thread-safe.
 */
public final class CustomerStore {
  /** Base units per USDC/USDT (both 6 decimals), for {@code min_notional}. */
  private static final BigDecimal STABLE_UNIT = BigDecimal.TEN.pow(6);

  /** A customer's columns and its current attestation's, over a relation {@code c}. */
  private static final String COLUMNS_AND_ATTESTATION =
      """
      SELECT c.seq, c.id, c.external_id, c.wallet, c.created_at, c.updated_at,
        EXISTS (SELECT 1 FROM api.owned_wallets o WHERE o.tenant_id = c.tenant_id AND o.wallet = c.wallet) AS wallet_proven,
        a.id AS a_id, a.kind, a.provider, a.provider_name, a.vendor_reference, a.attested_at, a.expires_at,
        a.signals, a.attestation_hash, a.pii, a.encrypted_payload, a.kms_key_id, a.stored_at%s
      FROM %s c
      LEFT JOIN LATERAL (SELECT * FROM api.attestations x WHERE x.customer_id = c.id ORDER BY x.seq DESC LIMIT 1) a
        ON true""";

  private static final String SELECT =
      COLUMNS_AND_ATTESTATION.formatted("", "api.customers") + "\n      WHERE c.tenant_id = :t";

  /** Creates the customer or updates its wallet. */
  private static final String UPSERT_CUSTOMER =
      """
      INSERT INTO api.customers (id, tenant_id, external_id, wallet, created_at, updated_at)
      VALUES (:id, :t, :e, :w, :now, :now)
      ON CONFLICT (tenant_id, external_id) DO UPDATE SET wallet = excluded.wallet, updated_at = excluded.updated_at
      RETURNING seq, id, tenant_id, external_id, wallet, created_at, updated_at, (xmax = 0) AS created""";

  /**
   * {@link #UPSERT_CUSTOMER} and the customer as {@link #SELECT} reads it, in one statement: the
   * answer to an upsert without an attestation in a single round trip (its current attestation is
   * the latest already stored).
   */
  private static final String UPSERT_AND_READ =
      "WITH up AS ("
          + UPSERT_CUSTOMER
          + ")\n"
          + COLUMNS_AND_ATTESTATION.formatted(", c.created", "up");

  /**
   * {@link #UPSERT_AND_READ} with JDBC's positional parameters (id, tenant, external id, wallet,
   * now, now).
   */
  private static final String UPSERT_AND_READ_JDBC =
      UPSERT_AND_READ.replace("VALUES (:id, :t, :e, :w, :now, :now)", "VALUES (?, ?, ?, ?, ?, ?)");

  /** {@link #SELECT} with JDBC's positional parameter for the tenant. */
  private static final String SELECT_TENANT = SELECT.replace("c.tenant_id = :t", "c.tenant_id = ?");

  /** {@link #SELECT} for one customer, with JDBC's positional parameters (tenant, id). */
  private static final String SELECT_ONE = SELECT_TENANT + " AND c.id = ?";

  private final Jdbi jdbi;
  private final DataSource dataSource;
  private final Clock clock;
  private final TenantReads reads;

  /**
   * @param dataSource the pool {@code jdbi} is over: the single-customer read, the API's most
   *     frequent, goes through plain JDBC (Jdbi's per-handle and per-statement configuration copies
   *     were 70% of its time in the API bench's profile)
   * @param reads where a customer and a list page are kept between requests ({@link TenantReads}
   *     states how soon a write reaches them); every write here announces itself to it
   */
  public CustomerStore(Jdbi jdbi, DataSource dataSource, Clock clock, TenantReads reads) {
    this.jdbi = jdbi;
    this.dataSource = dataSource;
    this.clock = clock;
    this.reads = reads;
  }

  /** The kept read of one customer. */
  private record One(String id) {}

  /** The kept read of one list page. */
  private record Page(Query query, Pagination page) {}

  /**
   * Filters of {@code GET /v1/customers}, applied to each customer's current attestation.
   *
   * @param signal the attestation carries this signal and has not expired
   * @param minNotionalUsdc the wallet's settled redeem notional (USDC, both payout stablecoins
   *     counted 1:1) is at least this
   */
  public record Query(
      Optional<String> signal,
      Optional<String> provider,
      Optional<Instant> attestedAfter,
      Optional<Instant> expiresBefore,
      Optional<BigDecimal> minNotionalUsdc,
      Optional<String> wallet,
      Optional<String> externalId) {}

  /** What an upsert did. */
  public record Upserted(Customer customer, boolean created) {}

  /**
   * Creates the tenant's customer {@code external_id} or updates its wallet, and appends the
   * attestation if given.
   */
  public Upserted upsert(String tenantId, CustomerRequest r) {
    try {
      return write(tenantId, r);
    } finally {
      reads.changed(tenantId);
    }
  }

  private Upserted write(String tenantId, CustomerRequest r) {
    Timestamp now = Timestamp.from(clock.instant());
    if (r.attestationIfAny().isEmpty()) {
      // One statement, so one round trip and no transaction around it; plain JDBC, as in find.
      try (Connection c = dataSource.getConnection();
          PreparedStatement ps = c.prepareStatement(UPSERT_AND_READ_JDBC)) {
        ps.setString(1, Ids.next("cus_"));
        ps.setString(2, tenantId);
        ps.setString(3, r.externalId());
        ps.setString(4, r.wallet());
        ps.setTimestamp(5, now);
        ps.setTimestamp(6, now);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new Upserted(customer(rs), rs.getBoolean("created"));
        }
      } catch (SQLException e) {
        throw new IllegalStateException("upserting a customer: " + e.getMessage(), e);
      }
    }
    CustomerRequest.Attestation a = r.attestationIfAny().orElseThrow();
    return jdbi.inTransaction(
        h -> {
          var row =
              bindCustomer(h.createQuery(UPSERT_CUSTOMER), tenantId, r, now)
                  .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getBoolean("created")))
                  .one();
          h.createUpdate(
                  """
              INSERT INTO api.attestations (id, customer_id, kind, provider, provider_name, vendor_reference,
                attested_at, expires_at, signals, attestation_hash, pii, encrypted_payload, kms_key_id, stored_at)
              VALUES (:id, :c, :kind, :provider, :pname, :vref, :at, :exp, :signals, :hash, :pii, :payload, :kms, :now)""")
              .bind("id", Ids.next("att_"))
              .bind("c", row.getKey())
              .bind("kind", a.kind())
              .bind("provider", a.provider())
              .bind("pname", a.providerName())
              .bind("vref", a.vendorReference())
              .bind("at", Timestamp.from(a.attestedInstant()))
              .bind("exp", a.expiresInstant().map(Timestamp::from).orElse(null))
              .bindArray("signals", String.class, a.signals())
              .bind("hash", a.attestationHash())
              .bind("pii", a.pii())
              .bind("payload", a.encryptedPayload())
              .bind("kms", a.kmsKeyId())
              .bind("now", now)
              .execute();
          return new Upserted(find(h, tenantId, row.getKey()).orElseThrow(), row.getValue());
        });
  }

  private static org.jdbi.v3.core.statement.Query bindCustomer(
      org.jdbi.v3.core.statement.Query q, String tenantId, CustomerRequest r, Timestamp now) {
    return q.bind("id", Ids.next("cus_"))
        .bind("t", tenantId)
        .bind("e", r.externalId())
        .bind("w", r.wallet())
        .bind("now", now);
  }

  /** The tenant's customer {@code id}, kept between requests until the tenant's rows change. */
  public Optional<Customer> find(String tenantId, String id) {
    return reads.read(tenantId, new One(id), () -> findNow(tenantId, id), c -> 1);
  }

  private Optional<Customer> findNow(String tenantId, String id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(SELECT_ONE)) {
      ps.setString(1, tenantId);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(customer(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading customer " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * The tenant's customers matching {@code q}, newest first. Plain JDBC with positional parameters,
   * like {@link #find}: the list is the API's second most frequent read.
   */
  public ListPage<Customer> list(String tenantId, Query q, Pagination page) {
    if (q.signal().isPresent() || q.minNotionalUsdc().isPresent()) {
      // Not kept: the one depends on the time (an attestation's expiry), the other on the index.
      return listNow(tenantId, q, page);
    }
    return reads.read(
        tenantId, new Page(q, page), () -> listNow(tenantId, q, page), p -> 1 + p.data().size());
  }

  private ListPage<Customer> listNow(String tenantId, Query q, Pagination page) {
    StringBuilder sql = new StringBuilder(SELECT_TENANT);
    List<Object> binds = new ArrayList<>();
    binds.add(tenantId);
    q.signal()
        .ifPresent(
            sig -> {
              sql.append(
                  " AND a.signals @> ARRAY[CAST(? AS text)] AND (a.expires_at IS NULL OR a.expires_at > ?)");
              binds.add(sig);
              binds.add(Timestamp.from(clock.instant()));
            });
    q.provider()
        .ifPresent(
            p -> {
              sql.append(" AND a.provider = ?");
              binds.add(p);
            });
    q.attestedAfter()
        .ifPresent(
            t -> {
              sql.append(" AND a.attested_at > ?");
              binds.add(Timestamp.from(t));
            });
    q.expiresBefore()
        .ifPresent(
            t -> {
              sql.append(" AND a.expires_at < ?");
              binds.add(Timestamp.from(t));
            });
    q.minNotionalUsdc()
        .ifPresent(
            n -> {
              // Only a proven wallet's history counts: an unproven one reveals nothing (0).
              sql.append(" AND CASE WHEN EXISTS (SELECT 1 FROM api.owned_wallets o")
                  .append(" WHERE o.tenant_id = c.tenant_id AND o.wallet = c.wallet) THEN ")
                  .append(IndexReader.settledNotionalOf("c.wallet"))
                  .append(" ELSE 0 END >= ?");
              binds.add(n.multiply(STABLE_UNIT));
            });
    q.wallet()
        .ifPresent(
            w -> {
              sql.append(" AND c.wallet = ?");
              binds.add(w);
            });
    q.externalId()
        .ifPresent(
            e -> {
              sql.append(" AND c.external_id = ?");
              binds.add(e);
            });
    try (Connection c = dataSource.getConnection()) {
      return page.page(
          c,
          sql.toString(),
          binds,
          "api.customers",
          tenantId,
          CustomerStore::customer,
          Customer::id);
    } catch (SQLException e) {
      throw new IllegalStateException("listing customers: " + e.getMessage(), e);
    }
  }

  /**
   * Records {@code wallet} as the tenant's settlement wallet in {@code mode} (once; later calls do
   * nothing): from then on its orders, positions and events are the tenant's.
   */
  public void recordSettlementWallet(String tenantId, Mode mode, String wallet) {
    try {
      insertSettlementWallet(tenantId, mode, wallet);
    } finally {
      reads.changed(tenantId); // its customers' wallet_proven
    }
  }

  private void insertSettlementWallet(String tenantId, Mode mode, String wallet) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
            INSERT INTO api.settlement_wallets (tenant_id, mode, wallet, created_at)
            VALUES (:t, :m, :w, :now) ON CONFLICT DO NOTHING""")
                .bind("t", tenantId)
                .bind("m", mode.dbValue())
                .bind("w", wallet.toLowerCase(java.util.Locale.ROOT))
                .bind("now", java.sql.Timestamp.from(clock.instant()))
                .execute());
  }

  /** The distinct wallets the tenant owns (proven, or its settlement wallets), in order. */
  public List<String> wallets(String tenantId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT DISTINCT wallet FROM api.owned_wallets WHERE tenant_id = :t ORDER BY 1")
                .bind("t", tenantId)
                .mapTo(String.class)
                .list());
  }

  /**
   * SQL over {@code column} true when it is a wallet of one of the tenant's customers, with the
   * named parameter {@code :owner_tenant}: for another module's queries over wallets.
   */
  public static String walletOfTenant(String column) {
    if (!column.matches("[a-z_]+(\\.[a-z_]+)?")) {
      throw new IllegalArgumentException("not a column: " + column);
    }
    return column + " IN (SELECT wallet FROM api.owned_wallets WHERE tenant_id = :owner_tenant)";
  }

  public boolean ownsWallet(String tenantId, String wallet) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT 1 FROM api.owned_wallets WHERE tenant_id = :t AND wallet = :w LIMIT 1")
                .bind("t", tenantId)
                .bind("w", wallet.toLowerCase())
                .mapTo(Integer.class)
                .findOne()
                .isPresent());
  }

  private static Optional<Customer> find(Handle h, String tenantId, String id) {
    return h.createQuery(SELECT + " AND c.id = :id")
        .bind("t", tenantId)
        .bind("id", id)
        .map((rs, ctx) -> customer(rs))
        .findOne();
  }

  private static Customer customer(ResultSet rs) throws SQLException {
    Optional<Customer.Attestation> a = Optional.empty();
    if (rs.getString("a_id") != null) {
      Array signals = rs.getArray("signals");
      a =
          Optional.of(
              new Customer.Attestation(
                  rs.getString("a_id"),
                  rs.getString("kind"),
                  rs.getString("provider"),
                  Optional.ofNullable(rs.getString("provider_name")),
                  rs.getString("vendor_reference"),
                  rs.getTimestamp("attested_at").toInstant(),
                  Columns.instant(rs, "expires_at"),
                  new ArrayList<>(List.of((String[]) signals.getArray())),
                  rs.getString("attestation_hash"),
                  rs.getString("pii"),
                  Optional.ofNullable(rs.getString("encrypted_payload")),
                  Optional.ofNullable(rs.getString("kms_key_id")),
                  rs.getTimestamp("stored_at").toInstant()));
    }
    return new Customer(
        rs.getString("id"),
        "customer",
        rs.getString("external_id"),
        rs.getString("wallet"),
        rs.getBoolean("wallet_proven"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        a);
  }
}
