package dev.lockstep.keeper.tx;

import java.time.Instant;
import java.util.Optional;

/**
 * One signed transaction of an intent ({@code keeper.tx_attempts}), recorded before it is ever
 * broadcast.
 *
 * @param txHash keccak-256 of the signed bytes, 0x-hex
 * @param rawTx the signed EIP-2718 transaction, 0x-hex: what {@code eth_sendRawTransaction} takes
 * @param broadcastAt the latest broadcast, empty if never broadcast
 */
public record Attempt(
    String txHash,
    long intentId,
    AttemptKind kind,
    String rawTx,
    Fees fees,
    Instant createdAt,
    Optional<Instant> broadcastAt) {}
