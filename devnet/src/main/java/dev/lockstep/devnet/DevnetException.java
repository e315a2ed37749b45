package dev.lockstep.devnet;

/** A local devnet part (anvil, embedded PostgreSQL, deployment) could not be started or used. */
public final class DevnetException extends RuntimeException {
  public DevnetException(String message) {
    super(message);
  }

  public DevnetException(String message, Throwable cause) {
    super(message, cause);
  }
}
