package dev.lockstep.keeper.price;

import dev.lockstep.ports.PriceFeed;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox's price feed. Each configured symbol ticks every {@code tick} of the injected clock
 * (its mark is timestamped at the latest tick), until {@link #freeze} stops it, after which its
 * mark ages and turns stale after two minutes like a venue that stopped publishing.
 *
 * <p>Prices follow a path per symbol: flat at the configured price by default, or, with a {@link
 * Walk}, a seeded random walk (each tick moves the price by a whole number of basis points drawn
 * uniformly from {@code [-volatility, +volatility]} by a generator seeded with the walk's seed, the
 * symbol and the tick's number), so every daemon with the same configuration publishes the same
 * marks without sharing state. {@link #publish} moves a price from the current tick on (a scripted
 * path for tests), the walk going on from there. Prices are exact decimals (6 places, half-even
 * steps), never floating point. {@link #twap} averages the ticks of a window. Thread-safe.
 */
public final class SimulatedPriceFeed implements PriceFeed {
  /** USD per ETH in the sandbox (gas costs). */
  public static final BigDecimal ETH_USD = new BigDecimal("3000");

  /** Ticks between two cached points of a walk. */
  private static final int CHECKPOINT_EVERY = 256;

  /** Published prices kept per symbol (the path before the oldest is forgotten). */
  private static final int KEPT_ANCHORS = 32;

  /**
   * A seeded random walk.
   *
   * @param seed the generator's seed (the same seed, the same paths)
   * @param volatilityBps the most one tick moves a price, in basis points (0: flat)
   */
  public record Walk(long seed, int volatilityBps) {
    public Walk {
      if (volatilityBps < 0 || volatilityBps > 1_000) {
        throw new IllegalArgumentException("volatility_bps must be 0-1000");
      }
    }

    /** Flat prices. */
    public static Walk none() {
      return new Walk(0, 0);
    }
  }

  /** A price set at a tick; the path goes on from it. */
  private record Anchor(long tick, BigDecimal price) {}

  /** One symbol's path: its anchors (oldest first) and cached points of the walk after each. */
  private static final class Path {
    final List<Anchor> anchors = new ArrayList<>();
    final Map<Long, TreeMap<Long, BigDecimal>> checkpoints = new java.util.HashMap<>();
  }

  private final Map<String, Path> paths = new ConcurrentHashMap<>();
  private final Map<String, Instant> frozenAt = new ConcurrentHashMap<>();
  private final Duration tick;
  private final Clock clock;
  private final Walk walk;

  /**
   * Flat prices.
   *
   * @param pricesUsd USD per share by symbol
   */
  public SimulatedPriceFeed(Map<String, BigDecimal> pricesUsd, Duration tick, Clock clock) {
    this(pricesUsd, tick, clock, Walk.none());
  }

  /**
   * @param pricesUsd USD per share by symbol, at the start of the current UTC day (so daemons
   *     started the same day with the same walk publish the same marks)
   * @param walk how prices move from tick to tick
   */
  public SimulatedPriceFeed(
      Map<String, BigDecimal> pricesUsd, Duration tick, Clock clock, Walk walk) {
    this.tick = tick;
    this.clock = clock;
    this.walk = walk;
    long start =
        tickOf(
            clock
                .instant()
                .atZone(java.time.ZoneOffset.UTC)
                .toLocalDate()
                .atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant());
    pricesUsd.forEach(
        (symbol, price) -> {
          Path p = new Path();
          p.anchors.add(new Anchor(start, price.setScale(6, RoundingMode.HALF_EVEN)));
          paths.put(symbol, p);
        });
  }

  @Override
  public Optional<Mark> mark(String symbol) {
    Path p = paths.get(symbol);
    if (p == null) {
      return Optional.empty();
    }
    Instant at = frozenAt.getOrDefault(symbol, lastTick(clock.instant()));
    return Optional.of(new Mark(priceAt(symbol, p, tickOf(at)), at));
  }

  /**
   * The time-weighted average of {@code symbol}'s ticks over the {@code window} ending at its
   * latest tick (every tick weighs the same, ticks being evenly spaced), to 6 decimals.
   */
  @Override
  public Optional<BigDecimal> twap(String symbol, Duration window) {
    Path p = paths.get(symbol);
    if (p == null) {
      return Optional.empty();
    }
    long last = tickOf(frozenAt.getOrDefault(symbol, lastTick(clock.instant())));
    long n = Math.max(1, window.toMillis() / tick.toMillis());
    BigDecimal sum = BigDecimal.ZERO;
    for (long t = last - n + 1; t <= last; t++) {
      sum = sum.add(priceAt(symbol, p, t));
    }
    return Optional.of(sum.divide(BigDecimal.valueOf(n), 6, RoundingMode.HALF_EVEN));
  }

  /** Simulated trailing yields (gross, basis points): dividend-like figures per ticker. */
  private static final Map<String, Integer> GROSS_APY_BPS =
      Map.of("SPY", 130, "AAPL", 45, "NVDA", 3, "TLT", 410, "UST10Y", 420, "PCF", 950);

  /** The simulated SPV's management fee, taken from the gross yield: 15 bps. */
  static final int MANAGEMENT_FEE_BPS = 15;

  /**
   * The sandbox venue's profile of every priced ticker: SPV {@code spv_sbx_<ticker>}, its
   * attestation report under {@code https://sandbox.lockstep.dev/attestations/<TICKER>/latest} (the
   * sandbox venue's address; simulated data like the marks), the simulated gross yield and that
   * less the management fee.
   */
  @Override
  public Optional<AssetProfile> profile(String symbol) {
    if (!paths.containsKey(symbol)) {
      return Optional.empty();
    }
    int gross = GROSS_APY_BPS.getOrDefault(symbol, 0);
    return Optional.of(
        new AssetProfile(
            "spv_sbx_" + symbol.toLowerCase(java.util.Locale.ROOT),
            "https://sandbox.lockstep.dev/attestations/" + symbol + "/latest",
            gross,
            Math.max(0, gross - MANAGEMENT_FEE_BPS)));
  }

  /** The sandbox's ETH mark: {@link #ETH_USD}, ticking like the assets. */
  @Override
  public Optional<Mark> nativeMark() {
    return Optional.of(new Mark(ETH_USD, lastTick(clock.instant())));
  }

  @Override
  public java.util.Set<String> symbols() {
    return java.util.Set.copyOf(paths.keySet());
  }

  /** Sets {@code symbol}'s price from the current tick on (the walk goes on from it). */
  public void publish(String symbol, BigDecimal priceUsd) {
    Anchor anchor =
        new Anchor(tickOf(lastTick(clock.instant())), priceUsd.setScale(6, RoundingMode.HALF_EVEN));
    paths.compute(
        symbol,
        (s, p) -> {
          Path path = p == null ? new Path() : p;
          synchronized (path) {
            path.anchors.removeIf(a -> a.tick() >= anchor.tick());
            path.checkpoints.remove(anchor.tick());
            path.anchors.add(anchor);
            while (path.anchors.size() > KEPT_ANCHORS) {
              path.checkpoints.remove(path.anchors.removeFirst().tick());
            }
          }
          return path;
        });
  }

  /** Stops {@code symbol}'s ticks: its mark keeps the time of the last tick and goes stale. */
  public void freeze(String symbol) {
    frozenAt.putIfAbsent(symbol, lastTick(clock.instant()));
  }

  /** Resumes {@code symbol}'s ticks. */
  public void resume(String symbol) {
    frozenAt.remove(symbol);
  }

  /**
   * The price of {@code symbol} at tick {@code t}: the path from the last anchor at or before it.
   */
  private BigDecimal priceAt(String symbol, Path p, long t) {
    synchronized (p) {
      Anchor anchor = p.anchors.getFirst();
      for (Anchor a : p.anchors) {
        if (a.tick() <= t) {
          anchor = a;
        }
      }
      if (walk.volatilityBps() == 0 || t <= anchor.tick()) {
        return anchor.price();
      }
      TreeMap<Long, BigDecimal> cached =
          p.checkpoints.computeIfAbsent(anchor.tick(), k -> new TreeMap<>());
      var from = cached.floorEntry(t);
      long at = from == null ? anchor.tick() : from.getKey();
      BigDecimal price = from == null ? anchor.price() : from.getValue();
      long salt = walk.seed() * 1_000_003L + symbol.hashCode();
      BigDecimal bps = BigDecimal.valueOf(10_000);
      while (at < t) {
        at++;
        int step =
            new SplittableRandom(salt * 31 + at)
                .nextInt(-walk.volatilityBps(), walk.volatilityBps() + 1);
        price =
            price
                .multiply(BigDecimal.valueOf(10_000L + step))
                .divide(bps, 6, RoundingMode.HALF_EVEN);
        if ((at - anchor.tick()) % CHECKPOINT_EVERY == 0) {
          cached.put(at, price);
        }
      }
      return price;
    }
  }

  private long tickOf(Instant at) {
    return at.toEpochMilli() / tick.toMillis();
  }

  private Instant lastTick(Instant now) {
    long ms = tick.toMillis();
    return Instant.ofEpochMilli(now.toEpochMilli() / ms * ms);
  }
}
