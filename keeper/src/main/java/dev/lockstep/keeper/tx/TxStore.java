package dev.lockstep.keeper.tx;

import dev.lockstep.indexer.store.Columns;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Tables {@code keeper.tx_intents}, {@code keeper.tx_attempts} and {@code keeper.nonce_leases}: the
 * engine's durable outbox. Every state change is one statement or one transaction; nothing is
 * broadcast that is not committed here first. Thread-safe.
 */
public final class TxStore {
  private final Jdbi jdbi;

  public TxStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Statuses in which an intent still needs the engine. */
  public static final List<String> OPEN = List.of("queued", "submitted", "mined");

  /**
   * One intent.
   *
   * @param nonce empty until the intent is signed for the first time
   */
  public record Intent(
      long id,
      String idempotencyKey,
      long chainId,
      String signer,
      String target,
      String callData,
      String action,
      Long orderId,
      String status,
      OptionalLong nonce,
      Long gasLimit,
      int replacements,
      Optional<Instant> replaceAfter,
      Optional<String> minedTxHash,
      OptionalLong minedBlock,
      Optional<String> minedBlockHash,
      Optional<String> outcome,
      Instant createdAt,
      Optional<Instant> submittedAt) {

    /** Whether the engine is done with it. */
    public boolean closed() {
      return !OPEN.contains(status);
    }
  }

  /**
   * One signed transaction of an intent.
   *
   * @param kind original, replacement or noop
   */
  public record Attempt(
      String txHash,
      long intentId,
      String kind,
      String rawTx,
      Fees fees,
      Instant createdAt,
      Optional<Instant> broadcastAt) {}

  private static final String INTENT_COLUMNS =
      """
      id, idempotency_key, chain_id, signer, target, call_data, action, order_id, status, nonce, gas_limit,
      replacements, replace_after, mined_tx_hash, mined_block, mined_block_hash, outcome, created_at, submitted_at""";

  private static Intent intent(ResultSet rs) throws SQLException {
    long nonce = rs.getLong("nonce");
    OptionalLong n = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(nonce);
    long orderId = rs.getLong("order_id");
    Long order = rs.wasNull() ? null : orderId;
    long gas = rs.getLong("gas_limit");
    Long gasLimit = rs.wasNull() ? null : gas;
    long minedBlock = rs.getLong("mined_block");
    OptionalLong mined = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(minedBlock);
    return new Intent(
        rs.getLong("id"),
        rs.getString("idempotency_key"),
        rs.getLong("chain_id"),
        rs.getString("signer"),
        rs.getString("target"),
        rs.getString("call_data"),
        rs.getString("action"),
        order,
        rs.getString("status"),
        n,
        gasLimit,
        rs.getInt("replacements"),
        Columns.instant(rs, "replace_after"),
        Optional.ofNullable(rs.getString("mined_tx_hash")),
        mined,
        Optional.ofNullable(rs.getString("mined_block_hash")),
        Optional.ofNullable(rs.getString("outcome")),
        rs.getTimestamp("created_at").toInstant(),
        Columns.instant(rs, "submitted_at"));
  }

  /**
   * Enqueues an intent unless one with the same idempotency key exists.
   *
   * @return the intent with that key (the new one, or the earlier one untouched)
   */
  public Intent enqueue(
      String key,
      long chainId,
      String signer,
      String target,
      String callData,
      String action,
      Long orderId,
      Instant now) {
    return jdbi.inTransaction(
        h -> {
          h.createUpdate(
                  """
              INSERT INTO keeper.tx_intents (idempotency_key, chain_id, signer, target, call_data, action, order_id,
                status, created_at, updated_at)
              VALUES (:k, :c, :s, :t, :d, :a, :o, 'queued', :now, :now)
              ON CONFLICT (idempotency_key) DO NOTHING""")
              .bind("k", key)
              .bind("c", chainId)
              .bind("s", signer)
              .bind("t", target.toLowerCase())
              .bind("d", callData)
              .bind("a", action)
              .bind("o", orderId)
              .bind("now", Timestamp.from(now))
              .execute();
          return h.createQuery(
                  "SELECT " + INTENT_COLUMNS + " FROM keeper.tx_intents WHERE idempotency_key = :k")
              .bind("k", key)
              .map((rs, ctx) -> intent(rs))
              .one();
        });
  }

  /** One intent to enqueue. */
  public record NewIntent(
      String key, String target, String callData, String action, Long orderId) {}

  /** Enqueues many intents in one statement batch; keys already present are left untouched. */
  public void enqueueAll(long chainId, String signer, List<NewIntent> all, Instant now) {
    if (all.isEmpty()) {
      return;
    }
    jdbi.useTransaction(
        h -> {
          var batch =
              h.prepareBatch(
                  """
          INSERT INTO keeper.tx_intents (idempotency_key, chain_id, signer, target, call_data, action, order_id,
            status, created_at, updated_at)
          VALUES (:k, :c, :s, :t, :d, :a, :o, 'queued', :now, :now)
          ON CONFLICT (idempotency_key) DO NOTHING""");
          for (NewIntent i : all) {
            batch
                .bind("k", i.key())
                .bind("c", chainId)
                .bind("s", signer)
                .bind("t", i.target().toLowerCase())
                .bind("d", i.callData())
                .bind("a", i.action())
                .bind("o", i.orderId())
                .bind("now", Timestamp.from(now))
                .add();
          }
          batch.execute();
        });
  }

  /** The intent with {@code key}. */
  public Optional<Intent> byKey(String key) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + INTENT_COLUMNS
                        + " FROM keeper.tx_intents WHERE idempotency_key = :k")
                .bind("k", key)
                .map((rs, ctx) -> intent(rs))
                .findOne());
  }

  /** The newest intent for (order, action) on a chain. */
  public Optional<Intent> latest(long chainId, long orderId, String action) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + INTENT_COLUMNS
                        + " "
                        + """
             FROM keeper.tx_intents WHERE chain_id = :c AND order_id = :o AND action = :a ORDER BY id DESC LIMIT 1""")
                .bind("c", chainId)
                .bind("o", orderId)
                .bind("a", action)
                .map((rs, ctx) -> intent(rs))
                .findOne());
  }

  /** The newest intent for {@code action} of each of {@code orderIds} that has one, by order id. */
  public java.util.Map<Long, Intent> latest(
      long chainId, String action, java.util.Collection<Long> orderIds) {
    java.util.Map<Long, Intent> out = new java.util.HashMap<>();
    if (orderIds.isEmpty()) {
      return out;
    }
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT DISTINCT ON (order_id) "
                        + INTENT_COLUMNS
                        + " "
                        + """
             FROM keeper.tx_intents WHERE chain_id = :c AND action = :a AND order_id = ANY(:ids)
            ORDER BY order_id, id DESC""")
                .bind("c", chainId)
                .bind("a", action)
                .bindArray("ids", Long.class, List.copyOf(orderIds))
                .map((rs, ctx) -> intent(rs))
                .forEach(i -> out.put(i.orderId(), i)));
    return out;
  }

  /** Intents of a signer in {@code status}, oldest first (by nonce once assigned). */
  public List<Intent> inStatus(long chainId, String signer, String status, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + INTENT_COLUMNS
                        + " "
                        + """
             FROM keeper.tx_intents WHERE chain_id = :c AND signer = :s AND status = :st
            ORDER BY nonce NULLS LAST, id LIMIT :l""")
                .bind("c", chainId)
                .bind("s", signer)
                .bind("st", status)
                .bind("l", limit)
                .map((rs, ctx) -> intent(rs))
                .list());
  }

  /** Number of intents of a signer broadcast and not yet mined. */
  public int inFlight(long chainId, String signer) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT count(*) FROM keeper.tx_intents WHERE chain_id = :c AND signer = :s AND status = 'submitted'")
                .bind("c", chainId)
                .bind("s", signer)
                .mapTo(Integer.class)
                .one());
  }

  /** Creation time of the oldest open intent of a signer. */
  public Optional<Instant> oldestOpen(long chainId, String signer) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
            SELECT min(created_at) FROM keeper.tx_intents
            WHERE chain_id = :c AND signer = :s AND status IN ('queued', 'submitted', 'mined')""")
                .bind("c", chainId)
                .bind("s", signer)
                .mapTo(Timestamp.class)
                .findOne()
                .map(Timestamp::toInstant));
  }

  /** Nonces in {@code [from, to)} held by intents that are submitted, mined or confirmed. */
  public List<Long> noncesInUse(long chainId, String signer, long from, long to) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
            SELECT nonce FROM keeper.tx_intents
            WHERE chain_id = :c AND signer = :s AND nonce >= :f AND nonce < :t
              AND status IN ('submitted', 'mined', 'confirmed', 'reverted')""")
                .bind("c", chainId)
                .bind("s", signer)
                .bind("f", from)
                .bind("t", to)
                .mapTo(Long.class)
                .list());
  }

  /**
   * Takes or renews the nonce lease of (chain, signer) for {@code holder}: granted if the lease is
   * free, expired, or already {@code holder}'s. Database time decides expiry, so daemons' clocks
   * need not agree.
   *
   * @param chainNonce the signer's transaction count on chain: the next nonce of a new lease, and a
   *     floor for an existing one (nonces used outside the engine are never reassigned)
   * @return the lease's next nonce if {@code holder} holds it now
   */
  public OptionalLong holdLease(
      long chainId, String signer, String holder, Duration ttl, long chainNonce) {
    return jdbi.withHandle(
        h -> {
          Optional<Long> next =
              h.createQuery(
                      """
              INSERT INTO keeper.nonce_leases AS l (chain_id, signer, holder, expires_at, next_nonce)
              VALUES (:c, :s, :h, now() + :ttl * interval '1 millisecond', :n)
              ON CONFLICT (chain_id, signer) DO UPDATE
                SET holder = :h, expires_at = now() + :ttl * interval '1 millisecond',
                    next_nonce = greatest(l.next_nonce, :n)
                WHERE l.holder = :h OR l.expires_at < now()
              RETURNING next_nonce""")
                  .bind("c", chainId)
                  .bind("s", signer)
                  .bind("h", holder)
                  .bind("ttl", ttl.toMillis())
                  .bind("n", chainNonce)
                  .mapTo(Long.class)
                  .findOne();
          return next.map(OptionalLong::of).orElse(OptionalLong.empty());
        });
  }

  /** Releases the lease if {@code holder} holds it (a clean shutdown hands over at once). */
  public void releaseLease(long chainId, String signer, String holder) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
            UPDATE keeper.nonce_leases SET expires_at = now() - interval '1 second'
            WHERE chain_id = :c AND signer = :s AND holder = :h""")
                .bind("c", chainId)
                .bind("s", signer)
                .bind("h", holder)
                .execute());
  }

  /** Signs an intent's first transaction once its nonce is known. */
  @FunctionalInterface
  public interface IntentSigner {
    Attempt sign(Intent intent, long nonce);
  }

  /**
   * Assigns the lease's next nonces to queued intents, in order, and records each one's first
   * signed transaction, all in one database transaction: a nonce is taken only while {@code holder}
   * still holds an unexpired lease, and every attempt exists before anything is broadcast.
   *
   * @param gasLimits gas limit of each intent, in the same order
   * @return the recorded attempts, in order; fewer than asked if the lease was lost (then none of
   *     the rest is taken) or an intent is no longer queued
   */
  public List<Attempt> assignNonces(
      List<Intent> intents,
      List<Long> gasLimits,
      String holder,
      Instant replaceAfter,
      IntentSigner signer) {
    return jdbi.inTransaction(
        h -> {
          List<Attempt> out = new java.util.ArrayList<>();
          for (int k = 0; k < intents.size(); k++) {
            Intent intent = intents.get(k);
            Optional<Long> nonce =
                h.createQuery(
                        """
                UPDATE keeper.nonce_leases SET next_nonce = next_nonce + 1
                WHERE chain_id = :c AND signer = :s AND holder = :h AND expires_at > now()
                RETURNING next_nonce - 1""")
                    .bind("c", intent.chainId())
                    .bind("s", intent.signer())
                    .bind("h", holder)
                    .mapTo(Long.class)
                    .findOne();
            if (nonce.isEmpty()) {
              break;
            }
            Attempt a = signer.sign(intent, nonce.get());
            if (!submitted(h, intent, nonce.get(), gasLimits.get(k), replaceAfter, a)) {
              // Someone else took it since it was read: give the nonce back (still inside this
              // transaction).
              h.createUpdate(
                      "UPDATE keeper.nonce_leases SET next_nonce = next_nonce - 1 WHERE chain_id = :c AND signer = :s")
                  .bind("c", intent.chainId())
                  .bind("s", intent.signer())
                  .execute();
              continue;
            }
            out.add(a);
          }
          return out;
        });
  }

  /** Every attempt of each of {@code intentIds}, oldest first, by intent id. */
  public java.util.Map<Long, List<Attempt>> attemptsOf(java.util.Collection<Long> intentIds) {
    java.util.Map<Long, List<Attempt>> out = new java.util.HashMap<>();
    if (intentIds.isEmpty()) {
      return out;
    }
    jdbi.useHandle(
        h ->
            h.createQuery(
                    """
            SELECT tx_hash, intent_id, kind, raw_tx, max_fee_per_gas, max_priority_fee_per_gas, created_at, broadcast_at
            FROM keeper.tx_attempts WHERE intent_id = ANY(:ids) ORDER BY intent_id, created_at, tx_hash""")
                .bindArray("ids", Long.class, List.copyOf(intentIds))
                .map((rs, ctx) -> attempt(rs))
                .forEach(
                    a ->
                        out.computeIfAbsent(a.intentId(), k -> new java.util.ArrayList<>())
                            .add(a)));
    return out;
  }

  /** Notes many broadcasts and the node's answers ({@code hash -> answer}). */
  public void broadcastAll(java.util.Map<String, String> answers, Instant at) {
    if (answers.isEmpty()) {
      return;
    }
    jdbi.useHandle(
        h -> {
          var batch =
              h.prepareBatch(
                  "UPDATE keeper.tx_attempts SET broadcast_at = :at, node_answer = :a WHERE tx_hash = :hash");
          answers.forEach(
              (hash, answer) ->
                  batch.bind("at", Timestamp.from(at)).bind("a", answer).bind("hash", hash).add());
          batch.execute();
        });
  }

  /** Records a replacement (or the final no-op) of a submitted intent before it is broadcast. */
  public void addAttempt(Attempt a, Instant replaceAfter) {
    jdbi.useTransaction(
        h -> {
          insertAttempt(h, a);
          h.createUpdate(
                  """
              UPDATE keeper.tx_intents SET replacements = replacements + 1, replace_after = :ra, updated_at = :now
              WHERE id = :id""")
              .bind("ra", Timestamp.from(replaceAfter))
              .bind("now", Timestamp.from(a.createdAt()))
              .bind("id", a.intentId())
              .execute();
        });
  }

  /** Moves the intent's replacement deadline (no new transaction). */
  public void replaceAt(long intentId, Instant replaceAfter) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE keeper.tx_intents SET replace_after = :ra WHERE id = :id")
                .bind("ra", Timestamp.from(replaceAfter))
                .bind("id", intentId)
                .execute());
  }

  /**
   * Gives a queued gap-filling no-op the specific nonce {@code nonce} and records its signed
   * transaction, in one transaction, if {@code holder} still holds the lease and no other intent
   * holds the nonce.
   */
  public Optional<Attempt> assignGapNonce(
      Intent intent,
      String holder,
      long nonce,
      long gasLimit,
      Instant replaceAfter,
      GapSigner signer) {
    return jdbi.inTransaction(
        h -> {
          boolean leased =
              h.createQuery(
                      """
              SELECT 1 FROM keeper.nonce_leases
              WHERE chain_id = :c AND signer = :s AND holder = :h AND expires_at > now() FOR UPDATE""")
                  .bind("c", intent.chainId())
                  .bind("s", intent.signer())
                  .bind("h", holder)
                  .mapTo(Integer.class)
                  .findOne()
                  .isPresent();
          boolean taken =
              h.createQuery(
                      "SELECT 1 FROM keeper.tx_intents WHERE chain_id = :c AND signer = :s AND nonce = :n")
                  .bind("c", intent.chainId())
                  .bind("s", intent.signer())
                  .bind("n", nonce)
                  .mapTo(Integer.class)
                  .findOne()
                  .isPresent();
          if (!leased || taken) {
            return Optional.<Attempt>empty();
          }
          Attempt a = signer.sign();
          return submitted(h, intent, nonce, gasLimit, replaceAfter, a)
              ? Optional.of(a)
              : Optional.<Attempt>empty();
        });
  }

  /** Signs a gap-filling no-op. */
  @FunctionalInterface
  public interface GapSigner {
    Attempt sign();
  }

  /**
   * A queued intent gets its nonce and first attempt; false (nothing written) if it is no longer
   * queued.
   */
  private static boolean submitted(
      Handle h, Intent intent, long nonce, long gasLimit, Instant replaceAfter, Attempt a) {
    int updated =
        h.createUpdate(
                """
            UPDATE keeper.tx_intents SET status = 'submitted', nonce = :n, gas_limit = :g, submitted_at = :at,
              replace_after = :ra, updated_at = :at
            WHERE id = :id AND status = 'queued'""")
            .bind("n", nonce)
            .bind("g", gasLimit)
            .bind("at", Timestamp.from(a.createdAt()))
            .bind("ra", Timestamp.from(replaceAfter))
            .bind("id", intent.id())
            .execute();
    if (updated == 1) {
      insertAttempt(h, a);
    }
    return updated == 1;
  }

  private static void insertAttempt(Handle h, Attempt a) {
    h.createUpdate(
            """
            INSERT INTO keeper.tx_attempts (tx_hash, intent_id, kind, raw_tx, max_fee_per_gas, max_priority_fee_per_gas,
              created_at)
            VALUES (:hash, :id, :k, :raw, :mf, :mp, :at)""")
        .bind("hash", a.txHash())
        .bind("id", a.intentId())
        .bind("k", a.kind())
        .bind("raw", a.rawTx())
        .bind("mf", new BigDecimal(a.fees().maxFeePerGas()))
        .bind("mp", new BigDecimal(a.fees().maxPriorityFeePerGas()))
        .bind("at", Timestamp.from(a.createdAt()))
        .execute();
  }

  /** Notes a broadcast of {@code txHash} and the node's answer. */
  public void broadcast(String txHash, String answer, Instant at) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE keeper.tx_attempts SET broadcast_at = :at, node_answer = :a WHERE tx_hash = :hash")
                .bind("at", Timestamp.from(at))
                .bind("a", answer)
                .bind("hash", txHash)
                .execute());
  }

  /** Every attempt of an intent, oldest first. */
  public List<Attempt> attempts(long intentId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
            SELECT tx_hash, intent_id, kind, raw_tx, max_fee_per_gas, max_priority_fee_per_gas, created_at, broadcast_at
            FROM keeper.tx_attempts WHERE intent_id = :id ORDER BY created_at, tx_hash""")
                .bind("id", intentId)
                .map((rs, ctx) -> attempt(rs))
                .list());
  }

  private static Attempt attempt(ResultSet rs) throws SQLException {
    return new Attempt(
        rs.getString(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getString(4),
        new Fees(rs.getBigDecimal(5).toBigIntegerExact(), rs.getBigDecimal(6).toBigIntegerExact()),
        rs.getTimestamp(7).toInstant(),
        Columns.instant(rs, "broadcast_at"));
  }

  /** One of the intent's transactions is in block {@code block}. */
  public void mined(long intentId, String txHash, long block, String blockHash, Instant now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
            UPDATE keeper.tx_intents SET status = 'mined', mined_tx_hash = :tx, mined_block = :b, mined_block_hash = :bh,
              mined_at = :now, updated_at = :now
            WHERE id = :id AND status IN ('submitted', 'mined')""")
                .bind("tx", txHash)
                .bind("b", block)
                .bind("bh", blockHash)
                .bind("now", Timestamp.from(now))
                .bind("id", intentId)
                .execute());
  }

  /**
   * The block holding the intent's transaction was reorged out: back to submitted, to be broadcast
   * again.
   */
  public void unmined(long intentId, Instant replaceAfter, Instant now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
            UPDATE keeper.tx_intents SET status = 'submitted', mined_block = NULL, mined_block_hash = NULL,
              mined_at = NULL, replace_after = :ra, updated_at = :now
            WHERE id = :id AND status = 'mined'""")
                .bind("ra", Timestamp.from(replaceAfter))
                .bind("now", Timestamp.from(now))
                .bind("id", intentId)
                .execute());
  }

  /** Closes an intent: confirmed, reverted, done_by_other or failed, with what happened. */
  public void close(long intentId, String status, String outcome, Instant now) {
    if (OPEN.contains(status)) {
      throw new IllegalArgumentException(status + " is not a closing status");
    }
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    """
            UPDATE keeper.tx_intents SET status = :st, outcome = :o, updated_at = :now
            WHERE id = :id AND status IN ('queued', 'submitted', 'mined')""")
                .bind("st", status)
                .bind("o", outcome)
                .bind("now", Timestamp.from(now))
                .bind("id", intentId)
                .execute());
  }

  /** The intent {@code id}. */
  public Intent get(long id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + INTENT_COLUMNS + " FROM keeper.tx_intents WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> intent(rs))
                .one());
  }

  /** Zero-value self-transfer used to fill or void a nonce: {@code 0x} call data. */
  static final String NOOP_DATA = "0x";
}
