package dev.lockstep.indexer.sync;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator sees while a chain catches up: an INFO line at most every {@link #EVERY} with
 * the block reached of the target, events indexed, events per second and the estimated time left,
 * and one line when the chain has caught up. Used by one follower thread; not thread-safe.
 */
final class BackfillProgress {
  private static final Logger log = LoggerFactory.getLogger(BackfillProgress.class);

  /** How often a progress line is printed during a backfill. */
  static final Duration EVERY = Duration.ofSeconds(5);

  /** A follower this many blocks behind reports progress and, once there, that it caught up. */
  static final long BEHIND = 1_000;

  private final long chainId;
  private boolean catchingUp = true;
  private long startNanos = System.nanoTime();
  private long lastLineNanos = startNanos;
  private long startBlock = -1;
  private long events;

  BackfillProgress(long chainId) {
    this.chainId = chainId;
  }

  /** A backfill from {@code fromBlock} to {@code target} begins. */
  void starting(long fromBlock, long target) {
    if (!catchingUp && target - fromBlock + 1 >= BEHIND) {
      catchingUp = true;
      startNanos = System.nanoTime();
      lastLineNanos = startNanos;
      events = 0;
      startBlock = -1;
    }
    if (catchingUp && startBlock < 0) {
      startBlock = fromBlock;
    }
  }

  /** Blocks up to {@code block} (of {@code target}) are committed, with {@code batchEvents}. */
  void committed(long block, long target, long batchEvents) {
    if (!catchingUp) {
      return;
    }
    events += batchEvents;
    long now = System.nanoTime();
    if (now - lastLineNanos < EVERY.toNanos()) {
      return;
    }
    lastLineNanos = now;
    double seconds = (now - startNanos) / 1e9;
    long done = block - startBlock + 1;
    long left = target - block;
    double blocksPerSecond = done / Math.max(seconds, 1e-3);
    log.info(
        "indexer chainId={} backfill: block {} of {} ({}%), {} events, {} events/s, ETA {} s",
        chainId,
        String.format("%,d", block),
        String.format("%,d", target),
        target <= startBlock ? 100 : (done * 100) / Math.max(1, target - startBlock + 1),
        String.format("%,d", events),
        String.format("%,d", Math.round(events / Math.max(seconds, 1e-3))),
        Math.round(left / Math.max(blocksPerSecond, 1e-9)));
  }

  /** The follower found itself at the head (within its confirmations) at {@code block}. */
  void caughtUp(long block, String hash) {
    if (!catchingUp) {
      return;
    }
    catchingUp = false;
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    log.info(
        "indexer chainId={} caught up at block {} hash {}: {} events in {} s",
        chainId,
        String.format("%,d", block),
        hash,
        String.format("%,d", events),
        String.format("%.1f", seconds));
  }
}
