package dev.lockstep.keeper.tx;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One row of {@code keeper.tx_intents}: a call the engine must get mined exactly once.
 *
 * @param idempotencyKey unique key of the decision ({@code <action>:<chain>:<order>:<generation>}
 *     for order calls, {@code gap:<chain>:<signer>:<nonce>} for gap fills)
 * @param signer the signing address, lowercase 0x-hex
 * @param target the called contract, lowercase 0x-hex
 * @param callData ABI-encoded call, 0x-hex
 * @param orderId the order the call serves; empty for a gap fill
 * @param generation 1 for the first try of an (order, action), one more for each retry after a
 *     failed one
 * @param nonce empty until the intent is signed for the first time
 * @param gasLimit empty until then too
 * @param replacements fee bumps (and the final no-op) made so far
 * @param replaceAfter when the current transaction counts as stuck
 * @param outcome what closed it, in words
 * @param revertError the Solidity name of the custom error it reverted with, if decoded
 */
public record Intent(
    long id,
    String idempotencyKey,
    long chainId,
    String signer,
    String target,
    String callData,
    TxAction action,
    OptionalLong orderId,
    int generation,
    IntentStatus status,
    OptionalLong nonce,
    OptionalLong gasLimit,
    int replacements,
    Optional<Instant> replaceAfter,
    Optional<String> minedTxHash,
    OptionalLong minedBlock,
    Optional<String> minedBlockHash,
    Optional<String> outcome,
    Optional<String> revertError,
    Instant createdAt,
    Optional<Instant> submittedAt) {

  /** Whether the engine is done with it. */
  public boolean closed() {
    return !status.isOpen();
  }

  /** The order it serves, or its idempotency key when it serves none: for log lines. */
  String subject() {
    return orderId.isPresent() ? "order " + orderId.getAsLong() : idempotencyKey;
  }
}
