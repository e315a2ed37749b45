package dev.lockstep.api.auth;

import dev.lockstep.indexer.model.StoredEnum;
import java.util.Arrays;
import java.util.List;

/**
 * A rate-limit tier (reference platform-docs "Rate limits"): a tenant's tier for its live keys,
 * {@link #SANDBOX} for every test key. Stored in {@code api.tenants.tier} as its lowercase name.
 */
public enum Tier implements StoredEnum {
  STARTUP(500, false),
  GROWTH(1_000, false),
  SCALE(2_500, true),
  ENTERPRISE(5_000, true),
  /** Test keys, whatever their tenant's tier: effectively uncapped, soft 10,000 per second. */
  SANDBOX(10_000, false);

  private final long defaultRps;
  private final boolean separateReadBudget;

  Tier(long defaultRps, boolean separateReadBudget) {
    this.defaultRps = defaultRps;
    this.separateReadBudget = separateReadBudget;
  }

  /** Requests per second the reference gives the tier. */
  public long defaultRps() {
    return defaultRps;
  }

  /**
   * Whether GETs have a budget of their own and do not consume the mutating budget (Scale and
   * Enterprise).
   */
  public boolean separateReadBudget() {
    return separateReadBudget;
  }

  /** The tiers a tenant can be given (every one but {@link #SANDBOX}). */
  public static List<Tier> tenantTiers() {
    return Arrays.stream(values()).filter(t -> t != SANDBOX).toList();
  }
}
