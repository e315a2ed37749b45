package dev.lockstep.keeper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The keeper's meters: {@code keeper.tx.submitted}, {@code keeper.tx.confirmed}, {@code
 * keeper.tx.reverted}, {@code keeper.tx.failed} and {@code keeper.tx.done_by_other}, each tagged
 * with {@code action} (promote, settle, cancel); {@code keeper.broker.offsets} requested.
 * Thread-safe.
 */
public final class KeeperMetrics {
  private final MeterRegistry registry;
  private final Counter offsets;

  public KeeperMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.offsets = Counter.builder("keeper.broker.offsets").description("broker offsets requested").register(registry);
  }

  /** Counts one transaction event {@code what} (submitted, confirmed, reverted, failed, done_by_other) for {@code action}. */
  public void tx(String what, String action) {
    Counter.builder("keeper.tx." + what).tag("action", action).register(registry).increment();
  }

  /** Counts one broker offset request. */
  public void offsetRequested() {
    offsets.increment();
  }
}
