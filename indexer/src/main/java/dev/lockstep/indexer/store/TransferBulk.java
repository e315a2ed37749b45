package dev.lockstep.indexer.store;

import dev.lockstep.indexer.decode.IndexedEvent;
import dev.lockstep.indexer.decode.IndexedEvent.LogPosition;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.copy.CopyIn;

/**
 * The ERC-20 Transfers of one range, prepared for the database by the thread that fetched them: the
 * rows as PostgreSQL COPY text, and the net balance change per (token, holder) and supply change
 * per token (mints from, burns to the zero address). The committing thread then only streams bytes
 * and applies sums, so decoding and formatting run concurrently with commits. Not thread-safe;
 * immutable once handed over in a {@link Batch}.
 */
public final class TransferBulk {
  static final String ZERO = "0x0000000000000000000000000000000000000000";

  private final String chainIdText;
  private long lastBlock = -1;
  private String lastBlockText = "";

  /**
   * COPY text in fixed chunks: never one large array, which G1 would allocate as a humongous object
   * straight into the old generation (a 10,000-row range is about 3 MB of text).
   */
  private static final int CHUNK = 64 * 1024;

  private final List<byte[]> chunks = new ArrayList<>();
  private byte[] chunk = new byte[CHUNK];
  private int chunkLength;
  private final Map<BalanceKey, BigInteger> balanceDeltas = new HashMap<>();
  private final Map<String, BigInteger> supplyDeltas = new HashMap<>();
  private int rows;

  record BalanceKey(String token, String holder) {}

  public TransferBulk(long chainId) {
    this.chainIdText = Long.toString(chainId);
  }

  /** Adds one Transfer: a COPY row and its balance and supply deltas. */
  public void add(IndexedEvent.Transfer t) {
    LogPosition p = t.position();
    if (p.blockNumber() != lastBlock) {
      lastBlock = p.blockNumber();
      lastBlockText = Long.toString(lastBlock);
    }
    append(chainIdText, '\t');
    append(lastBlockText, '\t');
    append(Integer.toString(p.logIndex()), '\t');
    append(p.blockHash(), '\t');
    append(p.txHash(), '\t');
    append(t.token(), '\t');
    append(t.from(), '\t');
    append(t.to(), '\t');
    append(
        t.amount().bitLength() < 64 ? Long.toString(t.amount().longValue()) : t.amount().toString(),
        '\n');
    rows++;
    if (t.from().equals(ZERO)) {
      supplyDeltas.merge(t.token(), t.amount(), BigInteger::add);
    } else {
      balanceDeltas.merge(
          new BalanceKey(t.token(), t.from()), t.amount().negate(), BigInteger::add);
    }
    if (t.to().equals(ZERO)) {
      supplyDeltas.merge(t.token(), t.amount().negate(), BigInteger::add);
    } else {
      balanceDeltas.merge(new BalanceKey(t.token(), t.to()), t.amount(), BigInteger::add);
    }
  }

  /** Appends {@code value} (ASCII: numbers and hex) and a separator to the COPY text. */
  @SuppressWarnings(
      "deprecation") // String.getBytes(int, int, byte[], int): a bulk copy of Latin-1 characters
  private void append(String value, char separator) {
    int n = value.length();
    int i = 0;
    while (i < n) {
      if (chunkLength == CHUNK) {
        nextChunk();
      }
      int take = Math.min(n - i, CHUNK - chunkLength);
      value.getBytes(i, i + take, chunk, chunkLength);
      chunkLength += take;
      i += take;
    }
    if (chunkLength == CHUNK) {
      nextChunk();
    }
    chunk[chunkLength++] = (byte) separator;
  }

  private void nextChunk() {
    chunks.add(chunk);
    chunk = new byte[CHUNK];
    chunkLength = 0;
  }

  /** Number of Transfers added. */
  public int rows() {
    return rows;
  }

  /**
   * Streams the rows in COPY text format (columns as in {@code indexer.transfers}) to {@code copy}.
   */
  void writeTo(CopyIn copy) throws SQLException {
    for (byte[] full : chunks) {
      copy.writeToCopy(full, 0, full.length);
    }
    copy.writeToCopy(chunk, 0, chunkLength);
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
