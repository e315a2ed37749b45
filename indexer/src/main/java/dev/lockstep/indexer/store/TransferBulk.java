package dev.lockstep.indexer.store;

import dev.lockstep.indexer.decode.IndexedEvent;
import dev.lockstep.indexer.decode.IndexedEvent.LogPosition;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The ERC-20 Transfers of one range, prepared for the database by the thread that fetched them:
 * the rows as PostgreSQL COPY text, and the net balance change per (token, holder) and supply
 * change per token (mints from, burns to the zero address). The committing thread then only
 * streams bytes and applies sums, so decoding and formatting run concurrently with commits. Not
 * thread-safe; immutable once handed over in a {@link Batch}.
 */
public final class TransferBulk {
  static final String ZERO = "0x0000000000000000000000000000000000000000";

  private final long chainId;
  private final StringBuilder copy = new StringBuilder();
  private final Map<BalanceKey, BigInteger> balanceDeltas = new HashMap<>();
  private final Map<String, BigInteger> supplyDeltas = new HashMap<>();
  private int rows;

  record BalanceKey(String token, String holder) {}

  public TransferBulk(long chainId) {
    this.chainId = chainId;
  }

  /** Adds one Transfer: a COPY row and its balance and supply deltas. */
  public void add(IndexedEvent.Transfer t) {
    LogPosition p = t.position();
    copy.append(chainId).append('\t').append(p.blockNumber()).append('\t').append(p.logIndex()).append('\t')
        .append(p.blockHash()).append('\t').append(p.txHash()).append('\t').append(t.token()).append('\t')
        .append(t.from()).append('\t').append(t.to()).append('\t').append(t.amount()).append('\n');
    rows++;
    if (t.from().equals(ZERO)) {
      supplyDeltas.merge(t.token(), t.amount(), BigInteger::add);
    } else {
      balanceDeltas.merge(new BalanceKey(t.token(), t.from()), t.amount().negate(), BigInteger::add);
    }
    if (t.to().equals(ZERO)) {
      supplyDeltas.merge(t.token(), t.amount().negate(), BigInteger::add);
    } else {
      balanceDeltas.merge(new BalanceKey(t.token(), t.to()), t.amount(), BigInteger::add);
    }
  }

  /** Number of Transfers added. */
  public int rows() {
    return rows;
  }

  /** The rows in COPY text format, columns as in {@code indexer.transfers}. */
  byte[] copyText() {
    return copy.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** Net change per (token, holder); entries may be zero. */
  Map<BalanceKey, BigInteger> balanceDeltas() {
    return balanceDeltas;
  }

  /** Net supply change per token. */
  Map<String, BigInteger> supplyDeltas() {
    return supplyDeltas;
  }
}
