package dev.lockstep.indexer.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The indexer's meters for one chain (tag {@code chain_id}): {@code indexer.head.block}, {@code
 * indexer.indexed.block}, {@code indexer.lag.blocks}, {@code indexer.events}, {@code
 * indexer.rpc.errors} and {@code indexer.forks.detected}. Thread-safe.
 */
public final class IndexerMetrics {
  private final AtomicLong head = new AtomicLong(-1);
  private final AtomicLong indexed = new AtomicLong(-1);
  private final Counter events;
  private final Counter rpcErrors;
  private final Counter forks;

  public IndexerMetrics(MeterRegistry registry, long chainId) {
    String chain = Long.toString(chainId);
    Gauge.builder("indexer.head.block", head, AtomicLong::get).tag("chain_id", chain)
        .description("latest block number reported by the node").register(registry);
    Gauge.builder("indexer.indexed.block", indexed, AtomicLong::get).tag("chain_id", chain)
        .description("last block committed to the index").register(registry);
    Gauge.builder("indexer.lag.blocks", this, m -> Math.max(0, m.head.get() - m.indexed.get()))
        .tag("chain_id", chain).description("head minus indexed block").register(registry);
    events = Counter.builder("indexer.events").tag("chain_id", chain)
        .description("decoded events committed").register(registry);
    rpcErrors = Counter.builder("indexer.rpc.errors").tag("chain_id", chain)
        .description("failed sync steps (RPC errors, inconsistent node answers)").register(registry);
    forks = Counter.builder("indexer.forks.detected").tag("chain_id", chain)
        .description("times a new block's parent hash did not match the indexed chain").register(registry);
  }

  void head(long block) {
    head.set(block);
  }

  void committed(long block, int eventCount) {
    indexed.set(block);
    events.increment(eventCount);
  }

  void rpcError() {
    rpcErrors.increment();
  }

  void fork() {
    forks.increment();
  }
}
