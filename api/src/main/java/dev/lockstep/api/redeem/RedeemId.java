package dev.lockstep.api.redeem;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A redeem's public id, {@code rdm_<chainId>_<orderId>}: the type prefix, then the chain and the
 * on-chain order id, so an id is stable across re-indexing and means the same order everywhere.
 */
public record RedeemId(long chainId, long orderId) {
  private static final Pattern FORMAT = Pattern.compile("rdm_(\\d{1,19})_(\\d{1,19})");

  /** Parses an id; empty if it is not of the form {@code rdm_<chainId>_<orderId>}. */
  public static Optional<RedeemId> parse(String id) {
    var m = FORMAT.matcher(id);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new RedeemId(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "rdm_" + chainId + "_" + orderId;
  }
}
