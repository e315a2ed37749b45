package dev.lockstep.ports;

import java.time.Clock;
import java.util.Map;

/**
 * A real adapter of one off-chain collaborator, found with {@link java.util.ServiceLoader}: a jar
 * on the daemon's classpath lists its implementation in {@code
 * META-INF/services/dev.lockstep.ports.AdapterFactory}, and the configuration names it ({@code
 * "broker": {"adapter": "acme-prime", ...}}). The daemon passes the section's other keys as {@code
 * settings}.
 *
 * <p>{@link #type} is the collaborator's interface: {@code dev.lockstep.keeper.broker.PrimeBroker},
 * {@link PriceFeed}, {@code dev.lockstep.ports.VenueCalendar} or {@code
 * dev.lockstep.keeper.tx.TxSigner}; each documents what an implementation must guarantee
 * (idempotency, thread-safety).
 *
 * @param <T> the collaborator's interface
 */
public interface AdapterFactory<T> {
  /** The name the configuration uses, such as {@code acme-prime}. */
  String name();

  /** The interface the adapter implements. */
  Class<T> type();

  /**
   * Creates the adapter.
   *
   * @param settings the configuration section's keys other than {@code adapter}, as strings
   * @throws IllegalArgumentException if a setting is missing or wrong (the daemon refuses to start
   *     with the message)
   */
  T create(Map<String, String> settings, Clock clock);
}
