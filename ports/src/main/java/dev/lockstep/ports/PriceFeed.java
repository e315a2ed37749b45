package dev.lockstep.ports;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Marks (NAV per share) of asset tokens, from the venue's price feed. A mark older than {@link
 * #STALE_AFTER} is stale (reference platform-docs "Positions": {@code nav.stale}, "usually 120 s").
 */
public interface PriceFeed {
  /** A mark older than this is stale: 120 seconds. */
  Duration STALE_AFTER = Duration.ofSeconds(120);

  /**
   * One price tick.
   *
   * @param priceUsd USD per whole share (token unit of 6 decimals), exact decimal
   * @param at when the venue published it
   */
  record Mark(BigDecimal priceUsd, Instant at) {
    /** Whether the tick is older than {@link #STALE_AFTER} at {@code now}. */
    public boolean staleAt(Instant now) {
      return at.plus(STALE_AFTER).isBefore(now);
    }
  }

  /** The latest mark of {@code symbol}, if the feed has ever priced it. */
  Optional<Mark> mark(String symbol);

  /** The window of {@link #twap} the platform watches: 30 seconds (reference "Borrow": TWAP). */
  Duration TWAP_WINDOW = Duration.ofSeconds(30);

  /**
   * {@code symbol}'s time-weighted average price (USD per share) over the {@code window} ending at
   * its latest mark, if the feed computes one: what triggers and liquidations watch instead of a
   * single tick.
   */
  default Optional<BigDecimal> twap(String symbol, Duration window) {
    return Optional.empty();
  }

  /**
   * What the venue publishes about an asset besides its mark (reference platform-docs "Token
   * catalog", "Positions"): the SPV holding the underlying and its attestation report, and the
   * asset's trailing 30-day yield.
   *
   * @param spvId the SPV's identifier
   * @param attestationUrl where the SPV's current broker attestation report is published
   * @param grossApyBps trailing-30-day gross yield, annualized, basis points
   * @param netApyBps the same net of management and performance fees
   */
  record AssetProfile(String spvId, String attestationUrl, int grossApyBps, int netApyBps) {}

  /** The venue's profile of {@code symbol}, if it has one. */
  default Optional<AssetProfile> profile(String symbol) {
    return Optional.empty();
  }

  /**
   * The latest USD mark of ETH, the gas token of every supported chain (Ethereum, Base, Arbitrum):
   * what gas costs in USD. Not an asset of the universe. Empty if the feed does not price it.
   */
  default Optional<Mark> nativeMark() {
    return Optional.empty();
  }

  /**
   * The tickers the feed prices: the asset universe the catalog lists, minted or not yet. A feed
   * that cannot list them answers none (the catalog then lists the deployed tokens only).
   */
  default java.util.Set<String> symbols() {
    return java.util.Set.of();
  }
}
