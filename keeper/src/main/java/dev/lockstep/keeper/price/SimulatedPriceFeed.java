package dev.lockstep.keeper.price;

import dev.lockstep.ports.PriceFeed;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sandbox's price feed: each configured symbol ticks at its configured price every {@code tick}
 * (its mark is timestamped at the latest tick of the injected clock), until {@link #freeze} stops
 * it, after which its mark ages and turns stale after two minutes like a venue that stopped
 * publishing. {@link #publish} moves a price. Thread-safe.
 */
public final class SimulatedPriceFeed implements PriceFeed {
  /** USD per ETH in the sandbox (gas costs). */
  public static final BigDecimal ETH_USD = new BigDecimal("3000");

  private final Map<String, BigDecimal> prices;
  private final Map<String, Instant> frozenAt = new ConcurrentHashMap<>();
  private final Duration tick;
  private final Clock clock;

  /**
   * @param pricesUsd USD per share by symbol
   */
  public SimulatedPriceFeed(Map<String, BigDecimal> pricesUsd, Duration tick, Clock clock) {
    this.prices = new ConcurrentHashMap<>(pricesUsd);
    this.tick = tick;
    this.clock = clock;
  }

  @Override
  public Optional<Mark> mark(String symbol) {
    BigDecimal price = prices.get(symbol);
    if (price == null) {
      return Optional.empty();
    }
    Instant at = frozenAt.getOrDefault(symbol, lastTick(clock.instant()));
    return Optional.of(new Mark(price, at));
  }

  /** Simulated trailing yields (gross, basis points): dividend-like figures per ticker. */
  private static final Map<String, Integer> GROSS_APY_BPS =
      Map.of("SPY", 130, "AAPL", 45, "NVDA", 3, "TLT", 410);

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
    if (!prices.containsKey(symbol)) {
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
    return java.util.Set.copyOf(prices.keySet());
  }

  /** Sets {@code symbol}'s price from the next tick on. */
  public void publish(String symbol, BigDecimal priceUsd) {
    prices.put(symbol, priceUsd);
  }

  /** Stops {@code symbol}'s ticks: its mark keeps the time of the last tick and goes stale. */
  public void freeze(String symbol) {
    frozenAt.putIfAbsent(symbol, lastTick(clock.instant()));
  }

  /** Resumes {@code symbol}'s ticks. */
  public void resume(String symbol) {
    frozenAt.remove(symbol);
  }

  private Instant lastTick(Instant now) {
    long ms = tick.toMillis();
    return Instant.ofEpochMilli(now.toEpochMilli() / ms * ms);
  }
}
