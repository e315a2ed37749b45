package dev.lockstep.api.auth;

import dev.lockstep.ports.Mode;

/**
 * An authenticated API key.
 *
 * @param id public key id ({@code key_...})
 * @param tenantId the tenant every row the key reads or writes belongs to
 * @param mode {@code test} ({@code sk_test_}) or {@code live} ({@code sk_live_})
 * @param scope {@code full} (every call) or {@code read} (GET only)
 * @param tier the tenant's rate-limit tier (never {@link Tier#SANDBOX}: that is the mode's)
 */
public record ApiKey(String id, String tenantId, Mode mode, Scope scope, Tier tier) {}
