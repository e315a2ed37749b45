package dev.lockstep.keeper.recon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.keeper.recon.ReserveReporter.FeedState;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The factory's reserve rules as the keeper predicts them before sending mint settles. */
class FeedStateTest {
  private static final long DAY = 86_400;

  private static FeedState feed(long round, long answer, long updatedAt, long supply, long head) {
    return new FeedState(
        "0xtoken",
        "0xfeed",
        round,
        BigInteger.valueOf(answer),
        updatedAt,
        BigInteger.valueOf(supply),
        2 * DAY,
        head);
  }

  @Test
  void beforeTheFirstReportNothingIsRefused() {
    FeedState none = feed(0, 0, 0, 5_000_000, 1_000_000);
    assertThat(none.refuses(BigInteger.valueOf(1_000_000_000))).isFalse();
    assertThat(none.stale()).isFalse();
  }

  @Test
  void aMintIsRefusedOnlyAboveTheAnswer() {
    FeedState f = feed(3, 10_000_000, 1_000_000, 8_000_000, 1_000_100);
    assertThat(f.refuses(BigInteger.valueOf(2_000_000))).as("up to the answer").isFalse();
    assertThat(f.refuses(BigInteger.valueOf(2_000_001))).as("one base unit above").isTrue();
  }

  @Test
  void anAnswerOlderThanTheMaximumAgeRefusesEveryMint_andAgesAtHalfOfIt() {
    long at = 1_000_000;
    FeedState young = feed(1, 10_000_000, at, 0, at + DAY);
    assertThat(young.ageing()).as("exactly half the age").isFalse();
    assertThat(feed(1, 10_000_000, at, 0, at + DAY + 1).ageing()).isTrue();
    FeedState edge = feed(1, 10_000_000, at, 0, at + 2 * DAY);
    assertThat(edge.stale()).as("at the maximum age: still valid, as the factory says").isFalse();
    FeedState stale = feed(1, 10_000_000, at, 0, at + 2 * DAY + 1);
    assertThat(stale.stale()).isTrue();
    assertThat(stale.refuses(BigInteger.ONE)).as("even within the answer").isTrue();
  }

  @Test
  void noMaximumAgeNeverStales() {
    FeedState f =
        new FeedState("0xtoken", "0xfeed", 1, BigInteger.TEN, 1, BigInteger.ONE, 0, 1_000_000_000L);
    assertThat(f.stale()).isFalse();
    assertThat(f.ageing()).isFalse();
  }
}
