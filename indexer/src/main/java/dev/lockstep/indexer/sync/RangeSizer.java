package dev.lockstep.indexer.sync;

/**
 * Adaptive size of the next {@code eth_getLogs} range, in blocks. Shrinks when a range returned
 * more than the target number of logs (memory stays bounded) or the provider refused it as too
 * large; grows back (doubling, up to the configured maximum) while ranges come back small.
 * Thread-safe.
 */
final class RangeSizer {
  private final int max;
  private final int targetLogs;
  private int size;

  RangeSizer(int max, int targetLogs) {
    this.max = max;
    this.targetLogs = targetLogs;
    this.size = Math.min(max, 100);
  }

  /** Blocks in the next range (1..max). */
  synchronized int next() {
    return size;
  }

  /** A range of {@code blocks} blocks returned {@code logs} logs. */
  synchronized void succeeded(int blocks, int logs) {
    if (logs > targetLogs) {
      size = Math.max(1, (int) Math.min(max, (long) blocks * targetLogs / logs));
    } else if (logs < targetLogs / 2 && blocks >= size) {
      size = (int) Math.min(max, size * 2L);
    }
  }

  /** The provider refused a range of {@code blocks} blocks. */
  synchronized void refused(int blocks) {
    size = Math.max(1, Math.min(size, blocks / 2));
  }
}
