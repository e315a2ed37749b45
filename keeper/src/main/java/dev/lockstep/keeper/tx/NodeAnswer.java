package dev.lockstep.keeper.tx;

import java.util.Locale;

/**
 * What a node's refusal of {@code eth_sendRawTransaction} means for the engine. The messages are
 * geth's, Erigon's, Nethermind's, reth's and anvil's wording of the same conditions.
 */
public enum NodeAnswer {
  /** Accepted. */
  ACCEPTED,
  /** The node already has this exact transaction: it was submitted, nothing to do. */
  ALREADY_KNOWN,
  /**
   * The nonce is used: one of our attempts (or a foreign transaction) was mined; receipts tell
   * which.
   */
  NONCE_USED,
  /** A transaction with this nonce is pending and ours does not pay enough more: bump again. */
  UNDERPRICED,
  /**
   * Temporarily refused (fee below the base fee, insufficient funds, pool full): try again later.
   */
  RETRY,
  /**
   * The transaction can never be accepted (gas above the block limit, intrinsic gas, bad
   * signature).
   */
  GIVE_UP;

  /** Classifies a JSON-RPC error message of {@code eth_sendRawTransaction}. */
  public static NodeAnswer classify(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (m.contains("already known")
        || m.contains("known transaction")
        || m.contains("alreadyknown")
        || m.contains("already imported")
        || m.contains("already in the pool")
        || m.contains("transaction already exists")) {
      return ALREADY_KNOWN;
    }
    if (m.contains("nonce too low")
        || m.contains("noncetoolow")
        || m.contains("nonce is too low")
        || m.contains("old nonce")
        || m.contains("oldnonce")
        || m.contains("invalid nonce")) {
      return NONCE_USED;
    }
    if (m.contains("underpriced")
        || m.contains("replacement fee too low")
        || m.contains("fee too low to replace")) {
      return UNDERPRICED;
    }
    if (m.contains("exceeds block gas limit")
        || m.contains("intrinsic gas too low")
        || m.contains("invalid sender")
        || m.contains("invalid signature")
        || m.contains("chain id")
        || m.contains("oversized data")
        || m.contains("gas limit reached")
        || m.contains("tip higher than fee cap")
        || m.contains("max priority fee per gas higher than max fee per gas")) {
      return GIVE_UP;
    }
    return RETRY;
  }
}
