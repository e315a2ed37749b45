package dev.lockstep.indexer.store;

import dev.lockstep.indexer.IndexerException;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.decode.IndexedEvent;
import dev.lockstep.indexer.decode.IndexedEvent.LogPosition;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Commits a {@link Batch} and its checkpoint in one PostgreSQL transaction, so a crash at any
 * moment leaves either all of a range or none of it. The checkpoint row is locked first and the
 * batch is applied only if it starts right after it: a second writer, or a retry of a batch that
 * did commit, is refused instead of applied twice. Thread-safe.
 */
public final class BatchWriter {
  private static final String ZERO = "0x0000000000000000000000000000000000000000";
  private final Jdbi jdbi;

  public BatchWriter(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Ensures the chain has a checkpoint row and its configured stablecoins are registered.
   *
   * @return the current checkpoint
   */
  public Checkpoint init(ChainConfig chain) {
    return jdbi.inTransaction(h -> {
      h.createUpdate("""
              INSERT INTO indexer.checkpoints (chain_id, block_number, block_hash, updated_at)
              VALUES (:c, :n, '', now()) ON CONFLICT (chain_id) DO NOTHING""")
          .bind("c", chain.chainId()).bind("n", chain.startBlock() - 1).execute();
      for (ChainConfig.Stablecoin s : chain.stablecoins()) {
        h.createUpdate("""
                INSERT INTO indexer.tokens (chain_id, address, symbol, kind, decimals, first_block)
                VALUES (:c, :a, :s, 'stablecoin', :d, :b) ON CONFLICT DO NOTHING""")
            .bind("c", chain.chainId()).bind("a", s.address()).bind("s", s.symbol())
            .bind("d", s.decimals()).bind("b", chain.startBlock()).execute();
      }
      return checkpoint(h, chain.chainId(), false).orElseThrow();
    });
  }

  /**
   * Applies {@code batch} if the checkpoint is exactly {@code batch.fromBlock() - 1}.
   *
   * @return true if applied; false if the checkpoint had moved (nothing was written)
   */
  public boolean write(Batch batch, String orderBook) {
    return jdbi.inTransaction(h -> {
      Checkpoint cp = checkpoint(h, batch.chainId(), true).orElseThrow();
      if (cp.blockNumber() != batch.fromBlock() - 1) {
        return false;
      }
      insertHeaders(h, batch);
      Map<Long, Instant> times = new HashMap<>();
      batch.headers().forEach(b -> times.put(b.number(), b.timestamp()));
      new Projection(h, batch.chainId(), orderBook, times).apply(batch.events());
      h.createUpdate("""
              UPDATE indexer.checkpoints SET block_number = :n, block_hash = :h, updated_at = now()
              WHERE chain_id = :c""")
          .bind("n", batch.toBlock()).bind("h", batch.last().hash()).bind("c", batch.chainId())
          .execute();
      return true;
    });
  }

  private static Optional<Checkpoint> checkpoint(Handle h, long chainId, boolean lock) {
    return h.createQuery("SELECT chain_id, block_number, block_hash FROM indexer.checkpoints WHERE chain_id = :c"
            + (lock ? " FOR UPDATE" : ""))
        .bind("c", chainId)
        .map((rs, ctx) -> new Checkpoint(rs.getLong(1), rs.getLong(2), rs.getString(3)))
        .findOne();
  }

  private static void insertHeaders(Handle h, Batch batch) {
    PreparedBatch pb = h.prepareBatch("""
        INSERT INTO indexer.blocks (chain_id, number, hash, parent_hash, timestamp)
        VALUES (:c, :n, :h, :p, :t)""");
    for (BlockHeader b : batch.headers()) {
      pb.bind("c", batch.chainId()).bind("n", b.number()).bind("h", b.hash())
          .bind("p", b.parentHash()).bind("t", Timestamp.from(b.timestamp())).add();
    }
    pb.execute();
  }

  /** Projects one batch's events into rows; balances and supply are summed first and written once. */
  private static final class Projection {
    private final Handle h;
    private final long chainId;
    private final String orderBook;
    private final Map<Long, Instant> times;
    private final Map<List<String>, BigInteger> balanceDeltas = new HashMap<>();
    private final Map<String, BigInteger> supplyDeltas = new HashMap<>();
    private final PreparedBatch transfers;

    Projection(Handle h, long chainId, String orderBook, Map<Long, Instant> times) {
      this.h = h;
      this.chainId = chainId;
      this.orderBook = orderBook;
      this.times = times;
      this.transfers = h.prepareBatch("""
          INSERT INTO indexer.transfers
            (chain_id, block_number, log_index, block_hash, tx_hash, token, from_address, to_address, amount)
          VALUES (:c, :b, :i, :bh, :tx, :token, :from, :to, :amount)""");
    }

    void apply(List<IndexedEvent> events) {
      for (IndexedEvent e : events) {
        switch (e) {
          case IndexedEvent.Transfer t -> transfer(t);
          case IndexedEvent.TokenDeployed d -> tokenDeployed(d);
          case IndexedEvent.OrderCreated o -> orderCreated(o);
          case IndexedEvent.OrderPromoted p -> orderStatus(p.position(), p.orderId(), "promoted", "active");
          case IndexedEvent.OrderSettled s -> orderSettled(s);
          case IndexedEvent.OrderCancelled c -> orderCancelled(c);
        }
      }
      if (transfers.size() > 0) {
        transfers.execute();
      }
      flushBalances();
    }

    private void transfer(IndexedEvent.Transfer t) {
      LogPosition p = t.position();
      transfers.bind("c", chainId).bind("b", p.blockNumber()).bind("i", p.logIndex())
          .bind("bh", p.blockHash()).bind("tx", p.txHash()).bind("token", t.token())
          .bind("from", t.from()).bind("to", t.to()).bind("amount", new BigDecimal(t.amount())).add();
      if (!t.from().equals(ZERO)) {
        balanceDeltas.merge(List.of(t.token(), t.from()), t.amount().negate(), BigInteger::add);
      } else {
        supplyDeltas.merge(t.token(), t.amount(), BigInteger::add);
      }
      if (!t.to().equals(ZERO)) {
        balanceDeltas.merge(List.of(t.token(), t.to()), t.amount(), BigInteger::add);
      } else {
        supplyDeltas.merge(t.token(), t.amount().negate(), BigInteger::add);
      }
    }

    private void tokenDeployed(IndexedEvent.TokenDeployed d) {
      h.createUpdate("""
              INSERT INTO indexer.tokens (chain_id, address, symbol, kind, decimals, first_block, deploy_tx)
              VALUES (:c, :a, :s, 'asset', 6, :b, :tx) ON CONFLICT DO NOTHING""")
          .bind("c", chainId).bind("a", d.token()).bind("s", d.symbol())
          .bind("b", d.position().blockNumber()).bind("tx", d.position().txHash()).execute();
    }

    private void orderCreated(IndexedEvent.OrderCreated o) {
      LogPosition p = o.position();
      String status = o.active() ? "active" : "queued";
      h.createUpdate("""
              INSERT INTO indexer.orders (chain_id, order_id, order_book, side, status, owner, token, quantity,
                payout_token, min_notional, destination, created_block, created_tx, created_at, updated_block)
              VALUES (:c, :id, :book, 'redeem', :status, :owner, :token, :q, :pt, :min, :dest, :b, :tx, :at, :b)""")
          .bind("c", chainId).bind("id", o.orderId()).bind("book", orderBook).bind("status", status)
          .bind("owner", o.owner()).bind("token", o.token()).bind("q", new BigDecimal(o.quantity()))
          .bind("pt", o.payoutToken()).bind("min", new BigDecimal(o.minNotional()))
          .bind("dest", o.destination()).bind("b", p.blockNumber()).bind("tx", p.txHash())
          .bind("at", Timestamp.from(time(p))).execute();
      history(p, o.orderId(), "created", status);
    }

    private void orderSettled(IndexedEvent.OrderSettled s) {
      orderStatus(s.position(), s.orderId(), "settled", "settled");
      h.createUpdate("""
              UPDATE indexer.orders SET gross_notional = :g, payout = :p
              WHERE chain_id = :c AND order_id = :id""")
          .bind("g", new BigDecimal(s.grossNotional())).bind("p", new BigDecimal(s.payout()))
          .bind("c", chainId).bind("id", s.orderId()).execute();
    }

    private void orderCancelled(IndexedEvent.OrderCancelled c) {
      orderStatus(c.position(), c.orderId(), "cancelled", "cancelled");
      h.createUpdate("UPDATE indexer.orders SET cancelled_by = :by WHERE chain_id = :c AND order_id = :id")
          .bind("by", c.by()).bind("c", chainId).bind("id", c.orderId()).execute();
    }

    private void orderStatus(LogPosition p, long orderId, String event, String status) {
      boolean closes = status.equals("settled") || status.equals("cancelled");
      h.createUpdate("""
              UPDATE indexer.orders SET status = :s, updated_block = :b,
                closed_block = CASE WHEN :closes THEN :b ELSE closed_block END,
                closed_tx = CASE WHEN :closes THEN :tx ELSE closed_tx END,
                closed_at = CASE WHEN :closes THEN :at ELSE closed_at END
              WHERE chain_id = :c AND order_id = :id""")
          .bind("s", status).bind("b", p.blockNumber()).bind("closes", closes).bind("tx", p.txHash())
          .bind("at", Timestamp.from(time(p))).bind("c", chainId).bind("id", orderId).execute();
      history(p, orderId, event, status);
    }

    private void history(LogPosition p, long orderId, String event, String status) {
      h.createUpdate("""
              INSERT INTO indexer.order_events (chain_id, block_number, log_index, order_id, event, status, tx_hash, at)
              VALUES (:c, :b, :i, :id, :e, :s, :tx, :at)""")
          .bind("c", chainId).bind("b", p.blockNumber()).bind("i", p.logIndex()).bind("id", orderId)
          .bind("e", event).bind("s", status).bind("tx", p.txHash()).bind("at", Timestamp.from(time(p)))
          .execute();
    }

    private Instant time(LogPosition p) {
      return times.get(p.blockNumber());
    }

    /**
     * Adds the batch's summed deltas to the balances in one statement and checks the rows it
     * touched: a negative result means the logs were incomplete, so the whole batch rolls back.
     */
    private void flushBalances() {
      List<String> tokens = new ArrayList<>();
      List<String> holders = new ArrayList<>();
      List<BigDecimal> deltas = new ArrayList<>();
      balanceDeltas.forEach((k, v) -> {
        if (v.signum() != 0) {
          tokens.add(k.get(0));
          holders.add(k.get(1));
          deltas.add(new BigDecimal(v));
        }
      });
      if (!tokens.isEmpty()) {
        List<String> negative = h.createQuery("""
                INSERT INTO indexer.balances (chain_id, token, holder, amount)
                SELECT :c, t, hd, a FROM unnest(:tokens, :holders, :amounts) AS d(t, hd, a)
                ON CONFLICT (chain_id, token, holder) DO UPDATE SET amount = indexer.balances.amount + excluded.amount
                RETURNING token, holder, amount""")
            .registerArrayType(BigDecimal.class, "numeric")
            .bind("c", chainId).bindArray("tokens", String.class, tokens).bindArray("holders", String.class, holders)
            .bindArray("amounts", BigDecimal.class, deltas)
            .map((rs, ctx) -> rs.getBigDecimal(3).signum() < 0 ? rs.getString(2) + " of " + rs.getString(1) : null)
            .list().stream().filter(Objects::nonNull).toList();
        if (!negative.isEmpty()) {
          throw new IndexerException("batch leaves negative balances on chain " + chainId + " " + negative
              + ": the node's logs are incomplete or the index is corrupt", false);
        }
      }
      supplyDeltas.forEach((token, delta) -> h.createUpdate(
              "UPDATE indexer.tokens SET total_supply = total_supply + :d WHERE chain_id = :c AND address = :a")
          .bind("d", new BigDecimal(delta)).bind("c", chainId).bind("a", token).execute());
    }
  }
}
