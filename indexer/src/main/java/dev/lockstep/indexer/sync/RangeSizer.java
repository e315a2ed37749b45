package dev.lockstep.indexer.sync;

/**
 * Adaptive size of the next {@code eth_getLogs} range, in blocks. Starts small (a chain's density
 * is unknown until the first answers, and {@code fetchConcurrency} ranges are requested before any
 * returns), then steers each range toward the target number of logs: a range that returned more
 * shrinks the next in proportion (memory stays bounded), a range that returned fewer grows it in
 * proportion but at most doubling per answer, up to the configured maximum; a range the provider
 * refused as too large halves it. Thread-safe.
 */
final class RangeSizer {
  /** Blocks in the first ranges. */
  static final int INITIAL = 10;

  private final int max;
  private final int targetLogs;
  private int size;

  RangeSizer(int max, int targetLogs) {
    this.max = max;
    this.targetLogs = targetLogs;
    this.size = Math.min(max, INITIAL);
  }

  /** Blocks in the next range (1..max). */
  synchronized int next() {
    return size;
  }

  /** A range of {@code blocks} blocks returned {@code logs} logs. */
  synchronized void succeeded(int blocks, int logs) {
    long fit = logs == 0 ? Long.MAX_VALUE : (long) blocks * targetLogs / logs;
    if (logs > targetLogs) {
      size = (int) Math.max(1, Math.min(max, fit));
    } else if (blocks >= size) {
      size = (int) Math.max(size, Math.min(Math.min(max, size * 2L), fit));
    }
  }

  /** The provider refused a range of {@code blocks} blocks. */
  synchronized void refused(int blocks) {
    size = Math.max(1, Math.min(size, blocks / 2));
  }
}
