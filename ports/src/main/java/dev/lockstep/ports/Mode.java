package dev.lockstep.ports;

import dev.lockstep.indexer.model.StoredEnum;

/**
 * The environment a daemon serves (reference platform-docs "Authentication"): {@code test} keys
 * ({@code sk_test_…}) work only against a test daemon and {@code live} keys only against a live
 * one. Stored and shown as lowercase text.
 */
public enum Mode implements StoredEnum {
  /** The sandbox and test deployments: {@code sk_test_} keys, simulators allowed. */
  TEST,
  /** Production: {@code sk_live_} keys, https webhooks only, no simulator unless named. */
  LIVE;

  /** The secret prefix of this environment's API keys: {@code sk_test_} or {@code sk_live_}. */
  public String keyPrefix() {
    return "sk_" + dbValue() + "_";
  }
}
