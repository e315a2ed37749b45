package dev.lockstep.keeper;

import dev.lockstep.keeper.tx.TxAction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keeper's meters. Counters {@code keeper.tx.<event>} tagged {@code action} (promote, settle,
 * cancel, noop), events: submitted, replaced, noop (voided by a no-op), reorged, confirmed,
 * reverted, failed, done_by_other; timer {@code keeper.tx.time_to_confirm} (first broadcast to
 * confirmed); {@code keeper.tx.oldest_pending_age_seconds} and {@code keeper.signer.balance_wei} (a
 * float gauge: Prometheus has no integers; never used for accounting) and {@code
 * keeper.signer.low_balance} (1 while under the policy's threshold) per chain and signer; {@code
 * keeper.nonce.gaps} filled; {@code keeper.broker.offsets} requested. Thread-safe.
 */
public final class KeeperMetrics {
  private static final Logger log = LoggerFactory.getLogger(KeeperMetrics.class);

  private final MeterRegistry registry;
  private final Counter offsets;
  private final Counter gaps;
  private final Timer timeToConfirm;
  private final Map<String, AtomicReference<BigInteger>> balances = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> low = new ConcurrentHashMap<>();

  public KeeperMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.offsets =
        Counter.builder("keeper.broker.offsets")
            .description("broker offsets requested")
            .register(registry);
    this.gaps =
        Counter.builder("keeper.nonce.gaps")
            .description("nonce gaps found and filled")
            .register(registry);
    this.timeToConfirm =
        Timer.builder("keeper.tx.time_to_confirm")
            .description("first broadcast to confirmed")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  /** What happened to a transaction intent: the counter {@code keeper.tx.<event>}. */
  public enum TxEvent {
    SUBMITTED,
    REPLACED,
    NOOP,
    REORGED,
    CONFIRMED,
    REVERTED,
    FAILED,
    DONE_BY_OTHER;

    String meterName() {
      return "keeper.tx." + name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Counts one transaction event for {@code action}. */
  public void tx(TxEvent event, TxAction action) {
    Counter.builder(event.meterName())
        .tag("action", action.dbValue())
        .register(registry)
        .increment();
  }

  /** Registers {@code keeper.signer.stuck} (1 while the signer is stuck) of one engine. */
  /** A reconciliation break opened on {@code chainId} ({@code reconciliation.breaks}). */
  public void reconciliationBreak(long chainId) {
    Counter.builder("reconciliation.breaks")
        .description("Reconciliation lines that broke (diff worth more than the threshold)")
        .tag("chain_id", Long.toString(chainId))
        .register(registry)
        .increment();
  }

  /**
   * The open (not cleared) reconciliation breaks of {@code chainId}, as {@code open} reads them.
   */
  public void openBreaks(long chainId, java.util.function.LongSupplier open) {
    Gauge.builder("reconciliation.open.breaks", open, o -> o.getAsLong())
        .strongReference(true) // the supplier is a lambda nothing else holds
        .description("(token, chain) lines whose minting a reconciliation break paused")
        .tag("chain_id", Long.toString(chainId))
        .register(registry);
  }

  public void stuckSigner(long chainId, String signer, java.util.function.BooleanSupplier stuck) {
    Gauge.builder("keeper.signer.stuck", stuck, s -> s.getAsBoolean() ? 1 : 0)
        .tag("chain_id", Long.toString(chainId))
        .tag("signer", signer)
        .strongReference(true)
        .register(registry);
  }

  /** Registers the gauges of one engine. */
  public void engine(long chainId, String signer, Supplier<Double> oldestPendingAgeSeconds) {
    String key = chainId + ":" + signer;
    AtomicReference<BigInteger> balance =
        balances.computeIfAbsent(key, k -> new AtomicReference<>(BigInteger.ZERO));
    AtomicInteger isLow = low.computeIfAbsent(key, k -> new AtomicInteger());
    String chain = Long.toString(chainId);
    Gauge.builder("keeper.tx.oldest_pending_age_seconds", oldestPendingAgeSeconds, Supplier::get)
        .tag("chain_id", chain)
        .tag("signer", signer)
        .strongReference(true)
        .register(registry);
    Gauge.builder("keeper.signer.balance_wei", balance, b -> b.get().doubleValue())
        .tag("chain_id", chain)
        .tag("signer", signer)
        .strongReference(true)
        .register(registry);
    Gauge.builder("keeper.signer.low_balance", isLow, AtomicInteger::get)
        .tag("chain_id", chain)
        .tag("signer", signer)
        .strongReference(true)
        .register(registry);
  }

  /**
   * Records the signer's balance; logs the alert when it falls under {@code lowWei} (once per
   * fall).
   */
  public void signerBalance(long chainId, String signer, BigInteger wei, BigInteger lowWei) {
    String key = chainId + ":" + signer;
    balances.computeIfAbsent(key, k -> new AtomicReference<>(BigInteger.ZERO)).set(wei);
    int nowLow = wei.compareTo(lowWei) < 0 ? 1 : 0;
    int before = low.computeIfAbsent(key, k -> new AtomicInteger()).getAndSet(nowLow);
    if (nowLow == 1 && before == 0) {
      log.error(
          "keeper chainId={} signer={} LOW BALANCE: {} wei, under the alert threshold of {} wei",
          chainId,
          signer,
          wei,
          lowWei);
    }
  }

  /** Time from first broadcast to confirmation of one intent. */
  public void timeToConfirm(Duration d) {
    timeToConfirm.record(d);
  }

  /**
   * One keeper round of {@code chainId} (duties, then the transaction engine): the timer {@code
   * keeper.round.duration}. A round longer than the chain's block time leaves blocks part-filled.
   */
  public void round(long chainId, Duration d) {
    Timer.builder("keeper.round.duration")
        .description("one keeper round: duties, then the transaction engine")
        .tag("chain_id", Long.toString(chainId))
        .publishPercentiles(0.5, 0.99)
        .register(registry)
        .record(d);
  }

  private final java.util.Map<Long, AtomicInteger> waitingLiquidity =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The gauge {@code keeper.settles.waiting_liquidity{chain_id}}: filled redeems of the chain whose
   * settle waits for the payout pool to be topped up (set each keeper round); an operator alerts on
   * it being above 0 for long.
   */
  public void waitingLiquidity(long chainId, int orders) {
    waitingLiquidity
        .computeIfAbsent(
            chainId,
            c -> {
              AtomicInteger v = new AtomicInteger();
              Gauge.builder("keeper.settles.waiting_liquidity", v, AtomicInteger::get)
                  .description("filled redeems whose settle waits for payout liquidity")
                  .tag("chain_id", Long.toString(c))
                  .strongReference(true)
                  .register(registry);
              return v;
            })
        .set(orders);
  }

  /** Counts one nonce gap filled. */
  public void nonceGap() {
    gaps.increment();
  }

  /** Counts one broker offset request. */
  public void offsetRequested() {
    offsets.increment();
  }
}
