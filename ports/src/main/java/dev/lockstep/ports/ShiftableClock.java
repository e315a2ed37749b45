package dev.lockstep.ports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that runs with its base clock plus an offset that only moves forward: the sandbox's
 * clock, which {@code POST /v1/sandbox/clock} advances (with the chains' time, {@link SandboxTime})
 * so sessions, clearing cycles and expiries fire without waiting. Always UTC. Thread-safe.
 */
public final class ShiftableClock extends Clock {
  private final Clock base;
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  public ShiftableClock(Clock base) {
    this.base = base;
  }

  /** A clock on the system's UTC time, not moved yet. */
  public static ShiftableClock system() {
    return new ShiftableClock(Clock.systemUTC());
  }

  /**
   * Moves the clock forward by {@code by}; the offset after.
   *
   * @throws IllegalArgumentException if {@code by} is negative
   */
  public Duration advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("the clock only moves forward");
    }
    return offset.updateAndGet(o -> o.plus(by));
  }

  /** How far ahead of its base clock it runs. */
  public Duration offset() {
    return offset.get();
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
