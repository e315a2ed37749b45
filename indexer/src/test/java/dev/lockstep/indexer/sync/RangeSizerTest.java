package dev.lockstep.indexer.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RangeSizerTest {
  @Test
  void startsSmallAndGrowsAtMostDoublingTowardTheTarget() {
    RangeSizer sizer = new RangeSizer(2000, 10_000);
    assertThat(sizer.next()).isEqualTo(RangeSizer.INITIAL);
    sizer.succeeded(
        10, 2_000); // 200 logs per block: 50 blocks would fit, but growth is capped at x2
    assertThat(sizer.next()).isEqualTo(20);
    sizer.succeeded(20, 4_000);
    assertThat(sizer.next()).isEqualTo(40);
    sizer.succeeded(40, 8_000); // 50 fit
    assertThat(sizer.next()).isEqualTo(50);
    sizer.succeeded(50, 10_000);
    assertThat(sizer.next()).isEqualTo(50);
  }

  @Test
  void emptyRangesGrowToTheMaximum() {
    RangeSizer sizer = new RangeSizer(300, 10_000);
    for (int i = 0; i < 10; i++) {
      sizer.succeeded(sizer.next(), 0);
    }
    assertThat(sizer.next()).isEqualTo(300);
  }

  @Test
  void aDenseRangeShrinksInProportion() {
    RangeSizer sizer = new RangeSizer(2000, 10_000);
    sizer.succeeded(10, 50_000);
    assertThat(sizer.next()).isEqualTo(2);
    sizer.succeeded(2, 1_000_000);
    assertThat(sizer.next()).isEqualTo(1);
  }

  @Test
  void aRefusedRangeHalvesAndAnswersOfSmallerRangesDoNotGrowIt() {
    RangeSizer sizer = new RangeSizer(2000, 10_000);
    sizer.succeeded(10, 0);
    sizer.succeeded(20, 0);
    assertThat(sizer.next()).isEqualTo(40);
    sizer.refused(40);
    assertThat(sizer.next()).isEqualTo(20);
    sizer.succeeded(5, 0); // a split half of an older range says nothing about the current size
    assertThat(sizer.next()).isEqualTo(20);
  }
}
