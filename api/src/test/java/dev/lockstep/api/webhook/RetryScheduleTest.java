package dev.lockstep.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.api.event.EventPatterns;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
  private static final Instant T = Instant.parse("2026-11-21T00:00:00Z");

  @Test
  void followsTheReferenceScheduleOverSeventyTwoHoursThenStops() {
    RetrySchedule none = new RetrySchedule(bound -> 0);
    List<Duration> expected =
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
    for (int failed = 0; failed < 10; failed++) {
      assertThat(none.next(T, failed)).contains(T.plus(expected.get(failed)));
    }
    assertThat(none.next(T, 10)).as("abandoned after the tenth attempt").isEmpty();
  }

  @Test
  void jitterIsAtMostATenthOfTheGapAndNeverEarly() {
    RetrySchedule most = new RetrySchedule(bound -> bound);
    assertThat(most.next(T, 1)).contains(T.plusSeconds(33));
    assertThat(most.next(T, 9))
        .contains(T.plus(Duration.ofHours(72)).plus(Duration.ofMinutes(144)));
    assertThat(RetrySchedule.latest(T, 10))
        .isEqualTo(T.plus(Duration.ofHours(72)).plus(Duration.ofMinutes(144)));
    RetrySchedule random = RetrySchedule.withRandomJitter();
    for (int i = 0; i < 1000; i++) {
      Instant at = random.next(T, 4).orElseThrow();
      assertThat(at).isBetween(T.plus(Duration.ofHours(2)), RetrySchedule.latest(T, 5));
    }
  }

  @Test
  void patternsMatchTypesFamiliesAndEverything() {
    assertThat(EventPatterns.matches(List.of("redeem.*"), "redeem.settled")).isTrue();
    assertThat(EventPatterns.matches(List.of("redeem.*"), "redeem.reorged")).isTrue();
    assertThat(EventPatterns.matches(List.of("redeem.*"), "redeemx.settled")).isFalse();
    assertThat(EventPatterns.matches(List.of("mint.settled"), "mint.settled")).isTrue();
    assertThat(EventPatterns.matches(List.of("mint.settled"), "mint.failed")).isFalse();
    assertThat(EventPatterns.matches(List.of("*"), "bridge.sent")).isTrue();
  }
}
