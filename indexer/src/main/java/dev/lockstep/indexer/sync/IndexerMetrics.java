package dev.lockstep.indexer.sync;

import dev.lockstep.indexer.rpc.RpcErrorKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The indexer's meters for one chain (tag {@code chain_id}):
 *
 * <ul>
 *   <li>{@code indexer.head.block}, {@code indexer.indexed.block}, {@code indexer.finalized.block}
 *   <li>{@code indexer.lag.blocks} (head minus indexed) and {@code indexer.lag.seconds} (now minus
 *       the indexed block's timestamp)
 *   <li>{@code indexer.events} (committed decoded events) and {@code indexer.events.rate} (events
 *       per second over the last completed 10-second window)
 *   <li>{@code indexer.reorgs} and {@code indexer.reorg.depth} (blocks rolled back per reorg)
 *   <li>{@code indexer.rpc.errors} by {@code kind} (timeout, connection, rate_limited, http, rpc,
 *       range, inconsistent, other)
 *   <li>{@code indexer.stalled} (1 while the chain is stalled or halted) and {@code
 *       indexer.websocket.connected}
 * </ul>
 *
 * Thread-safe.
 */
public final class IndexerMetrics {
  private static final long WINDOW_MS = 10_000;

  private final Clock clock;
  private final AtomicLong head = new AtomicLong(-1);
  private final AtomicLong indexed = new AtomicLong(-1);
  private final AtomicLong finalized = new AtomicLong(-1);
  private final AtomicLong indexedTimestamp = new AtomicLong(-1);
  private final Counter events;
  private final Counter reorgs;
  private final DistributionSummary reorgDepth;
  private final Map<RpcErrorKind, Counter> rpcErrors = new EnumMap<>(RpcErrorKind.class);
  private final Counter demotions;
  private final long[] window =
      new long[3]; // window start ms, events in current window, events in last window

  public IndexerMetrics(
      MeterRegistry registry,
      long chainId,
      Clock clock,
      BooleanSupplier stalled,
      BooleanSupplier websocketConnected) {
    this.clock = clock;
    String chain = Long.toString(chainId);
    Gauge.builder("indexer.head.block", head, AtomicLong::get)
        .tag("chain_id", chain)
        .description("latest block number reported by the node")
        .register(registry);
    Gauge.builder("indexer.indexed.block", indexed, AtomicLong::get)
        .tag("chain_id", chain)
        .description("last block committed to the index")
        .register(registry);
    Gauge.builder("indexer.finalized.block", finalized, AtomicLong::get)
        .tag("chain_id", chain)
        .description("highest block the index treats as final")
        .register(registry);
    Gauge.builder("indexer.lag.blocks", this, m -> Math.max(0, m.head.get() - m.indexed.get()))
        .tag("chain_id", chain)
        .description("head minus indexed block")
        .register(registry);
    Gauge.builder("indexer.lag.seconds", this, IndexerMetrics::lagSeconds)
        .tag("chain_id", chain)
        .description("now minus the timestamp of the last indexed block")
        .register(registry);
    Gauge.builder("indexer.events.rate", this, IndexerMetrics::eventsPerSecond)
        .tag("chain_id", chain)
        .description("events committed per second over the last 10 s window")
        .register(registry);
    Gauge.builder("indexer.stalled", stalled, s -> s.getAsBoolean() ? 1 : 0)
        .tag("chain_id", chain)
        .description(
            "1 while the chain is stalled (no progress while behind, or RPC failing) or halted")
        .strongReference(true)
        .register(registry);
    Gauge.builder("indexer.websocket.connected", websocketConnected, s -> s.getAsBoolean() ? 1 : 0)
        .tag("chain_id", chain)
        .description("1 while the newHeads subscription is up")
        .strongReference(true)
        .register(registry);
    events =
        Counter.builder("indexer.events")
            .tag("chain_id", chain)
            .description("decoded events committed")
            .register(registry);
    demotions =
        Counter.builder("indexer.rpc.demotions")
            .tag("chain_id", chain)
            .description("RPC endpoints passed over for a while after answers failing verification")
            .register(registry);
    reorgs =
        Counter.builder("indexer.reorgs")
            .tag("chain_id", chain)
            .description("reorgs rolled back")
            .register(registry);
    reorgDepth =
        DistributionSummary.builder("indexer.reorg.depth")
            .tag("chain_id", chain)
            .baseUnit("blocks")
            .description("blocks rolled back per reorg")
            .register(registry);
    for (RpcErrorKind kind : RpcErrorKind.values()) {
      rpcErrors.put(
          kind,
          Counter.builder("indexer.rpc.errors")
              .tag("chain_id", chain)
              .tag("kind", kind.tag())
              .description("failed RPC attempts and inconsistent node answers")
              .register(registry));
    }
  }

  void head(long block) {
    head.set(block);
  }

  /** The last head the node reported, or -1. */
  long head() {
    return head.get();
  }

  void committed(long block, Instant blockTime, long finalizedBlock, int eventCount) {
    indexed.set(block);
    indexedTimestamp.set(blockTime.toEpochMilli());
    finalized.set(finalizedBlock);
    events.increment(eventCount);
    synchronized (window) {
      roll();
      window[1] += eventCount;
    }
  }

  void rolledBack(long ancestor, long depth) {
    indexed.set(ancestor);
    reorgs.increment();
    reorgDepth.record(depth);
  }

  void rpcError(RpcErrorKind kind) {
    rpcErrors.get(kind).increment();
  }

  private double lagSeconds() {
    long t = indexedTimestamp.get();
    return t < 0 ? 0 : Math.max(0, (clock.millis() - t) / 1000.0);
  }

  private double eventsPerSecond() {
    synchronized (window) {
      roll();
      return window[2] * 1000.0 / WINDOW_MS;
    }
  }

  private void roll() {
    long now = clock.millis();
    if (now - window[0] >= 2 * WINDOW_MS) {
      window[0] = now;
      window[2] = 0;
      window[1] = 0;
    } else if (now - window[0] >= WINDOW_MS) {
      window[0] += WINDOW_MS;
      window[2] = window[1];
      window[1] = 0;
    }
  }

  /** One endpoint demoted. */
  public void demoted() {
    demotions.increment();
  }
}
