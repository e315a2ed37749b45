package dev.lockstep.keeper.price;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.ports.PriceFeed;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedPriceFeedTest {
  private static final Duration TICK = Duration.ofSeconds(5);
  private static final Map<String, BigDecimal> MARKS = Map.of("AAPL", new BigDecimal("187.42"));

  /** A clock the test moves by hand. */
  private static final class StepClock extends Clock {
    Instant now;

    StepClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private static List<BigDecimal> path(SimulatedPriceFeed feed, StepClock clock, int ticks) {
    List<BigDecimal> out = new ArrayList<>();
    for (int i = 0; i < ticks; i++) {
      out.add(feed.mark("AAPL").orElseThrow().priceUsd());
      clock.now = clock.now.plus(TICK);
    }
    return out;
  }

  @Test
  void aSeededWalkIsTheSameOnEveryDaemonAndMovesAtMostItsVolatilityPerTick() {
    Instant start = Instant.parse("2026-12-07T15:00:00Z");
    StepClock a = new StepClock(start);
    StepClock b = new StepClock(start.plusSeconds(3_600)); // started an hour later, same day
    var walk = new SimulatedPriceFeed.Walk(42, 3);
    SimulatedPriceFeed fa = new SimulatedPriceFeed(MARKS, TICK, a, walk);
    SimulatedPriceFeed fb = new SimulatedPriceFeed(MARKS, TICK, b, walk);
    b.now = start;
    List<BigDecimal> pa = path(fa, a, 200);
    List<BigDecimal> pb = path(fb, b, 200);
    assertThat(pb).isEqualTo(pa);
    assertThat(pa.stream().distinct().count()).isGreaterThan(100);
    for (int i = 1; i < pa.size(); i++) {
      BigDecimal move =
          pa.get(i).subtract(pa.get(i - 1)).abs().divide(pa.get(i - 1), 10, RoundingMode.UP);
      assertThat(move).isLessThanOrEqualTo(new BigDecimal("0.00030001"));
      assertThat(pa.get(i).scale()).isEqualTo(6);
    }
    // Another seed, another path.
    StepClock c = new StepClock(start);
    assertThat(
            path(new SimulatedPriceFeed(MARKS, TICK, c, new SimulatedPriceFeed.Walk(7, 3)), c, 200))
        .isNotEqualTo(pa);
    // A day later the walk is computed forward from its cached points, the same at every call.
    a.now = start.plus(Duration.ofDays(1));
    BigDecimal later = fa.mark("AAPL").orElseThrow().priceUsd();
    assertThat(fa.mark("AAPL").orElseThrow().priceUsd()).isEqualTo(later);
    b.now = a.now;
    assertThat(fb.mark("AAPL").orElseThrow().priceUsd()).isEqualTo(later);
  }

  @Test
  void publishedPricesScriptThePathAndTheTwapAveragesTheWindowsTicks() {
    StepClock clock = new StepClock(Instant.parse("2026-12-07T15:00:02Z"));
    SimulatedPriceFeed feed = new SimulatedPriceFeed(MARKS, TICK, clock); // flat
    assertThat(feed.mark("AAPL").orElseThrow().priceUsd()).isEqualByComparingTo("187.42");
    assertThat(feed.twap("AAPL", PriceFeed.TWAP_WINDOW)).hasValue(new BigDecimal("187.420000"));
    // The mark jumps to 200 at this tick: the 30 s TWAP (six ticks) moves a sixth of the way.
    feed.publish("AAPL", new BigDecimal("200"));
    assertThat(feed.mark("AAPL").orElseThrow().priceUsd()).isEqualByComparingTo("200");
    assertThat(feed.twap("AAPL", PriceFeed.TWAP_WINDOW))
        .hasValue(new BigDecimal("189.516667")); // (5 x 187.42 + 200) / 6
    clock.now = clock.now.plus(Duration.ofSeconds(25));
    assertThat(feed.twap("AAPL", PriceFeed.TWAP_WINDOW)).hasValue(new BigDecimal("200.000000"));
    // Frozen: the mark keeps its tick and goes stale after 120 s.
    feed.freeze("AAPL");
    clock.now = clock.now.plus(Duration.ofSeconds(121));
    PriceFeed.Mark frozen = feed.mark("AAPL").orElseThrow();
    assertThat(frozen.staleAt(clock.now)).isTrue();
    feed.resume("AAPL");
    assertThat(feed.mark("AAPL").orElseThrow().staleAt(clock.now)).isFalse();
    assertThat(feed.mark("MSFT")).isEmpty();
  }
}
