package dev.lockstep.api.auth;

import dev.lockstep.indexer.model.StoredEnum;
import java.util.Arrays;
import java.util.List;

/**
 * A rate-limit tier (reference platform-docs "Rate limits"): a tenant's tier for its live keys,
 * {@link #SANDBOX} for every test key. Stored in {@code api.tenants.tier} as its lowercase name.
 */
public enum Tier implements StoredEnum {
  STARTUP(500, false, 30),
  GROWTH(1_000, false, 20),
  SCALE(2_500, true, 15),
  ENTERPRISE(5_000, true, 10),
  /** Test keys, whatever their tenant's tier: effectively uncapped, soft 10,000 per second. */
  SANDBOX(10_000, false, 30);

  private final long defaultRps;
  private final boolean separateReadBudget;

  private final int platformFeeBps;

  Tier(long defaultRps, boolean separateReadBudget, int platformFeeBps) {
    this.defaultRps = defaultRps;
    this.separateReadBudget = separateReadBudget;
    this.platformFeeBps = platformFeeBps;
  }

  /**
   * The platform fee on an order's notional in basis points, by tier (the reference's "cost + your
   * tier's bps markup"): Startup 30, Growth 20, Scale 15, Enterprise 10; snapshotted into each
   * order's terms at creation.
   */
  public int platformFeeBps() {
    return platformFeeBps;
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
