package dev.lockstep.keeper.tx;

import org.jdbi.v3.core.Jdbi;

/**
 * The engine's durable state in schema {@code keeper}: intents ({@link IntentStore}), their signed
 * transactions ({@link AttemptStore}) and the nonce leases ({@link NonceLeases}). Nothing is
 * broadcast that is not committed here first. Thread-safe.
 *
 * @param intents {@code keeper.tx_intents}
 * @param attempts {@code keeper.tx_attempts}
 * @param leases {@code keeper.nonce_leases}
 */
public record TxStore(IntentStore intents, AttemptStore attempts, NonceLeases leases) {
  /** Call data of the zero-value self-transfer that voids a nonce. */
  static final String NOOP_DATA = "0x";

  /** The stores of the database behind {@code jdbi}. */
  public static TxStore of(Jdbi jdbi) {
    return new TxStore(new IntentStore(jdbi), new AttemptStore(jdbi), new NonceLeases(jdbi));
  }
}
