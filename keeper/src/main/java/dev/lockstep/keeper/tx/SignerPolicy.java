package dev.lockstep.keeper.tx;

import dev.lockstep.keeper.KeeperException;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the keeper's signer may sign: calls to allowlisted contracts with allowlisted function
 * selectors, ERC-20 approvals of allowlisted spenders, and zero-value, empty self-transfers (the
 * no-ops that fill or cancel a nonce). Anything else is refused before it reaches the signer,
 * whatever asked for it.
 *
 * @param allowed function selectors (0x + 8 hex digits) allowed per target contract address
 * @param approveSpenders addresses an ERC-20 {@code approve} (on any token) may name as spender: a
 *     settlement wallet approves its order book and nothing else
 * @param lowBalanceWei signer balance under which the keeper raises its low-balance alert
 */
public record SignerPolicy(
    Map<String, Set<String>> allowed, Set<String> approveSpenders, BigInteger lowBalanceWei) {
  public SignerPolicy {
    allowed = Map.copyOf(allowed);
    approveSpenders =
        approveSpenders.stream()
            .map(a -> a.toLowerCase(Locale.ROOT))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** A policy allowing no approvals (the keeper's own key). */
  public SignerPolicy(Map<String, Set<String>> allowed, BigInteger lowBalanceWei) {
    this(allowed, Set.of(), lowBalanceWei);
  }

  /** Thrown for a transaction the policy does not allow. */
  public static final class DisallowedException extends KeeperException {
    public DisallowedException(String message) {
      super(message, false);
    }
  }

  /**
   * Checks one transaction from {@code signer}.
   *
   * @throws DisallowedException if the target or the selector is not allowlisted
   */
  public void check(String signer, String to, BigInteger value, String data) {
    String target = to.toLowerCase(Locale.ROOT);
    if (target.equals(signer)
        && value.signum() == 0
        && (data == null || data.equals("0x") || data.isEmpty())) {
      return;
    }
    if (value.signum() != 0) {
      throw new DisallowedException(
          "keeper transactions carry no value (" + value + " wei to " + target + ")");
    }
    if (data != null && data.length() == 138 && data.startsWith(OrderBookCalls.APPROVE_SELECTOR)) {
      // approve(address spender, uint256): any token, but only to a spender the policy names.
      String spender = "0x" + data.substring(10 + 24, 74).toLowerCase(Locale.ROOT);
      if (approveSpenders.contains(spender)) {
        return;
      }
      throw new DisallowedException("approve to " + spender + " is not allowed");
    }
    Set<String> selectors = allowed.get(target);
    if (selectors == null) {
      throw new DisallowedException("target " + target + " is not allowlisted");
    }
    String selector =
        data == null || data.length() < 10 ? "" : data.substring(0, 10).toLowerCase(Locale.ROOT);
    if (!selectors.contains(selector)) {
      throw new DisallowedException("selector " + selector + " is not allowlisted for " + target);
    }
  }
}
