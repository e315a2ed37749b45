package dev.lockstep.ports;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The sandbox's time travel (reference platform-docs "Sandbox-only conveniences"): moves the
 * daemon's clock and every chain's block time forward together, so venue sessions, the broker's
 * clearing cycles, quote and attestation expiries and recovery windows actually fire. Only a
 * sandbox daemon running on a {@link ShiftableClock} has one.
 */
public interface SandboxTime {
  /** Most one call may move the clock: 30 days. */
  Duration MAX_ADVANCE = Duration.ofDays(30);

  /** A chain's head after the move. */
  record ChainTime(long chainId, long blockNumber, Instant blockTimestamp) {}

  /**
   * Where the clock stands.
   *
   * @param now the daemon's time
   * @param offset how far ahead of the real time it runs
   * @param chains each chain's latest block
   */
  record Now(Instant now, Duration offset, List<ChainTime> chains) {}

  /** The daemon's time and each chain's latest block. */
  Now now();

  /**
   * Moves the daemon's clock and every chain's time forward by {@code by} (each chain mines a block
   * at its new time).
   *
   * @throws IllegalArgumentException unless {@code 0 < by <= MAX_ADVANCE}
   */
  Now advance(Duration by);
}
