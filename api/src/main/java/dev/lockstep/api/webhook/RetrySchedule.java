package dev.lockstep.api.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongUnaryOperator;

/**
 * When each webhook delivery attempt is due (reference platform-docs "Retry schedule"): attempt 1
 * at once, then 30 s, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h, 48 h and 72 h after the first attempt;
 * after the tenth failed attempt the delivery is abandoned. Each retry is spread by a random delay
 * of up to a tenth of the gap since the previous scheduled attempt (so receivers recovering from an
 * outage are not hit by every delivery in the same second), never earlier than the schedule.
 *
 * @param jitter returns a uniformly random value in {@code [0, bound]} for a bound in milliseconds
 */
public record RetrySchedule(LongUnaryOperator jitter) {
  /** Offsets from the first attempt, attempt 1 first. */
  public static final List<Duration> OFFSETS =
      List.of(
          Duration.ZERO,
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          Duration.ofMinutes(30),
          Duration.ofHours(2),
          Duration.ofHours(6),
          Duration.ofHours(12),
          Duration.ofHours(24),
          Duration.ofHours(48),
          Duration.ofHours(72));

  /** Attempts before a delivery is abandoned. */
  public static final int MAX_ATTEMPTS = OFFSETS.size();

  /** The schedule with jitter from {@link java.util.concurrent.ThreadLocalRandom}. */
  public static RetrySchedule withRandomJitter() {
    return new RetrySchedule(
        bound -> java.util.concurrent.ThreadLocalRandom.current().nextLong(bound + 1));
  }

  /**
   * When attempt {@code failed + 1} is due after {@code failed} failed attempts, the first of which
   * was at {@code firstAttempt}; empty once all attempts are spent.
   */
  public Optional<Instant> next(Instant firstAttempt, int failed) {
    if (failed >= MAX_ATTEMPTS) {
      return Optional.empty();
    }
    Duration at = OFFSETS.get(failed);
    long gapMillis = failed == 0 ? 0 : at.minus(OFFSETS.get(failed - 1)).toMillis();
    return Optional.of(firstAttempt.plus(at).plusMillis(jitter.applyAsLong(gapMillis / 10)));
  }

  /** The latest time attempt {@code n} (1-based) can be due: its offset plus the largest jitter. */
  public static Instant latest(Instant firstAttempt, int n) {
    Duration at = OFFSETS.get(n - 1);
    long gapMillis = n == 1 ? 0 : at.minus(OFFSETS.get(n - 2)).toMillis();
    return firstAttempt.plus(at).plusMillis(gapMillis / 10);
  }
}
