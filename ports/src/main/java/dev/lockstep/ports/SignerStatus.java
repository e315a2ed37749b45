package dev.lockstep.ports;

import java.time.Instant;
import java.util.Optional;

/**
 * One keeper signer on one chain, as {@code /health} reports it.
 *
 * @param signer the signing address, lowercase 0x-hex
 * @param inFlight intents broadcast and not yet mined
 * @param chainNonce the signer's mined transaction count at the last round
 * @param stuckSince when the chain nonce last moved while intents were in flight, if the signer is
 *     stuck: it has had intents in flight and an unmoving nonce for longer than the keeper's {@code
 *     stuck_after}
 */
public record SignerStatus(
    long chainId, String signer, int inFlight, long chainNonce, Optional<Instant> stuckSince) {
  /** Whether the signer is stuck. */
  public boolean stuck() {
    return stuckSince.isPresent();
  }
}
