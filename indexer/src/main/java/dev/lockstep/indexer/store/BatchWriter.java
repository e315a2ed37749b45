package dev.lockstep.indexer.store;

import dev.lockstep.indexer.IndexerException;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.rpc.BlockHeader;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Commits a {@link Batch} and its checkpoint in one PostgreSQL transaction, so a crash at any
 * moment leaves either all of a range or none of it, and rolls a chain back to a common ancestor in
 * one transaction ({@link Rollback}). The checkpoint row is locked first; a batch is applied only
 * if it starts right after the checkpoint and its first block's parent hash is the checkpoint's
 * hash. Thread-safe.
 */
public final class BatchWriter {
  private final Jdbi jdbi;

  public BatchWriter(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * What {@link #write} did, and the checkpoint after it.
   *
   * @param outcome applied, stale or discontinuous
   * @param checkpoint the chain's checkpoint once the transaction ended
   */
  public record Written(Outcome outcome, Checkpoint checkpoint) {}

  /** What {@link #write} did. */
  public enum Outcome {
    /** The batch and the new checkpoint are committed. */
    APPLIED,
    /**
     * The checkpoint is not right before the batch (another writer, or a retry); nothing written.
     */
    STALE,
    /**
     * The batch's first parent hash is not the checkpoint's hash: the chain forked, or the node
     * moved.
     */
    DISCONTINUOUS
  }

  /**
   * Ensures the chain has a checkpoint row and its configured ERC-20s are registered.
   *
   * @return the current checkpoint
   */
  public Checkpoint init(ChainConfig chain) {
    return jdbi.inTransaction(
        h -> {
          h.createUpdate(
                  """
              INSERT INTO indexer.checkpoints (chain_id, block_number, block_hash, updated_at)
              VALUES (:c, :n, '', now()) ON CONFLICT (chain_id) DO NOTHING""")
              .bind("c", chain.chainId())
              .bind("n", chain.startBlock() - 1)
              .execute();
          for (ChainConfig.Erc20 t : chain.tokens()) {
            h.createUpdate(
                    """
                INSERT INTO indexer.tokens (chain_id, address, symbol, kind, decimals, first_block)
                VALUES (:c, :a, :s, :k, :d, :b) ON CONFLICT DO NOTHING""")
                .bind("c", chain.chainId())
                .bind("a", t.address())
                .bind("s", t.symbol())
                .bind("k", t.kind().dbValue())
                .bind("d", t.decimals())
                .bind("b", t.startBlock())
                .execute();
          }
          return checkpoint(h, chain.chainId(), false).orElseThrow();
        });
  }

  /**
   * Applies {@code batch} if it continues the checkpoint.
   *
   * @param finalizedCandidate the node's head minus the finality depth when the batch was fetched;
   *     the finalized block moves to {@code min(candidate, batch.toBlock())} if that is higher
   * @throws IndexerException (not retryable) if the chain is halted or the batch would corrupt the
   *     index (a negative balance)
   */
  public Written write(Batch batch, String orderBook, long finalizedCandidate) {
    return jdbi.inTransaction(
        h -> {
          // Everything written here is derived from the chain and commits atomically with the
          // checkpoint, so a database crash can lose only the newest batches whole, checkpoint
          // included, and the indexer re-fetches them: no need to wait for the WAL flush.
          h.execute("SET LOCAL synchronous_commit = off");
          Checkpoint cp = checkpoint(h, batch.chainId(), true).orElseThrow();
          cp.haltedReason()
              .ifPresent(
                  r -> {
                    throw new IndexerException(
                        "chain " + batch.chainId() + " is halted: " + r, false);
                  });
          if (cp.blockNumber() != batch.fromBlock() - 1) {
            return new Written(Outcome.STALE, cp);
          }
          if (!cp.blockHash().isEmpty() && !batch.first().parentHash().equals(cp.blockHash())) {
            return new Written(Outcome.DISCONTINUOUS, cp);
          }
          long finalized =
              Math.max(cp.finalizedBlock(), Math.min(finalizedCandidate, batch.toBlock()));
          insertHeaders(h, batch, finalized);
          Map<Long, Instant> times = new HashMap<>();
          batch.headers().forEach(b -> times.put(b.number(), b.timestamp()));
          new Projection(h, batch.chainId(), orderBook, times)
              .apply(batch.events(), batch.transfers());
          h.createUpdate(
                  """
              UPDATE indexer.checkpoints SET block_number = :n, block_hash = :h, finalized_block = :f, updated_at = now()
              WHERE chain_id = :c""")
              .bind("n", batch.toBlock())
              .bind("h", batch.last().hash())
              .bind("f", finalized)
              .bind("c", batch.chainId())
              .execute();
          if (finalized > cp.finalizedBlock()) {
            h.createUpdate("DELETE FROM indexer.blocks WHERE chain_id = :c AND number < :f")
                .bind("c", batch.chainId())
                .bind("f", finalized)
                .execute();
          }
          return new Written(
              Outcome.APPLIED,
              new Checkpoint(
                  cp.chainId(),
                  batch.toBlock(),
                  batch.last().hash(),
                  finalized,
                  cp.haltedReason()));
        });
  }

  /**
   * Rolls the chain back to {@code ancestor} (see {@link Rollback}) in one transaction.
   *
   * @throws IndexerException (not retryable) if the ancestor is below the finalized block: the
   *     chain is halted with the reason recorded
   */
  public Rollback.Summary rollback(long chainId, BlockHeader ancestor) {
    try {
      return jdbi.inTransaction(
          h -> {
            Checkpoint cp = checkpoint(h, chainId, true).orElseThrow();
            if (ancestor.number() < cp.finalizedBlock()) {
              throw new DeepReorgException(
                  "reorg of chain "
                      + chainId
                      + " from block "
                      + cp.blockNumber()
                      + " back to block "
                      + ancestor.number()
                      + " reaches below the finalized block "
                      + cp.finalizedBlock()
                      + ": deeper than the configured finality; refusing to diverge silently");
            }
            return new Rollback(h, chainId).to(cp, ancestor);
          });
    } catch (DeepReorgException e) {
      halt(chainId, e.getMessage());
      throw e;
    }
  }

  /** A reorg deeper than finality. */
  public static final class DeepReorgException extends IndexerException {
    public DeepReorgException(String message) {
      super(message, false);
    }
  }

  /**
   * Marks the chain halted: {@link #write} refuses it until an operator clears {@code
   * halted_reason}.
   */
  public void halt(long chainId, String reason) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE indexer.checkpoints SET halted_reason = :r WHERE chain_id = :c")
                .bind("r", reason)
                .bind("c", chainId)
                .execute());
  }

  /** The stored hash of block {@code number}, if it is in the kept (unfinalized) hash chain. */
  public Optional<String> storedHash(long chainId, long number) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT hash FROM indexer.blocks WHERE chain_id = :c AND number = :n")
                .bind("c", chainId)
                .bind("n", number)
                .mapTo(String.class)
                .findOne());
  }

  /** Stored headers of blocks {@code from..to} of the kept hash chain, descending. */
  public List<BlockHeader> storedHeaders(long chainId, long from, long to) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
            SELECT number, hash, parent_hash, timestamp FROM indexer.blocks
            WHERE chain_id = :c AND number BETWEEN :f AND :t ORDER BY number DESC""")
                .bind("c", chainId)
                .bind("f", from)
                .bind("t", to)
                .map(
                    (rs, ctx) ->
                        new BlockHeader(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getTimestamp(4).toInstant()))
                .list());
  }

  static Optional<Checkpoint> checkpoint(Handle h, long chainId, boolean lock) {
    return h.createQuery(
            """
            SELECT chain_id, block_number, block_hash, finalized_block, halted_reason
            FROM indexer.checkpoints WHERE chain_id = :c"""
                + (lock ? " FOR UPDATE" : ""))
        .bind("c", chainId)
        .map(
            (rs, ctx) ->
                new Checkpoint(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getLong(4),
                    Optional.ofNullable(rs.getString(5))))
        .findOne();
  }

  /** Keeps the headers at or above the finalized block: the hash chain a fork is traced back on. */
  private static void insertHeaders(Handle h, Batch batch, long finalized) {
    PreparedBatch pb =
        h.prepareBatch(
            """
        INSERT INTO indexer.blocks (chain_id, number, hash, parent_hash, timestamp)
        VALUES (:c, :n, :h, :p, :t)""");
    for (BlockHeader b : batch.headers()) {
      if (b.number() >= finalized || b.number() == batch.toBlock()) {
        pb.bind("c", batch.chainId())
            .bind("n", b.number())
            .bind("h", b.hash())
            .bind("p", b.parentHash())
            .bind("t", Timestamp.from(b.timestamp()))
            .add();
      }
    }
    if (pb.size() > 0) {
      pb.execute();
    }
  }
}
