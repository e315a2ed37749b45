package dev.lockstep.indexer.sync;

import java.time.Instant;
import java.util.Optional;

/**
 * A chain's sync state as health checks and the chains catalog report it.
 *
 * @param chainId chain id
 * @param name catalog name
 * @param status {@code starting} (no step finished yet), {@code ok} (caught up or advancing),
 *     {@code stalled} (behind with no progress, or RPC failing, for longer than the configured
 *     stall time; the loop keeps retrying), or {@code halted} (reorg deeper than finality; needs an
 *     operator)
 * @param headBlock the node's latest block as last seen, or -1
 * @param indexedBlock last committed block
 * @param finalizedBlock highest block treated as final
 * @param lastProgressAt when the chain last committed a batch or found itself caught up
 * @param lastError the last step failure, if the last step failed
 * @param rpcUrl the RPC endpoint currently used
 * @param websocket {@code connected}, {@code down} (polling meanwhile) or {@code off} (none
 *     configured)
 */
public record ChainHealth(
    long chainId,
    String name,
    String status,
    long headBlock,
    long indexedBlock,
    long finalizedBlock,
    Optional<Instant> lastProgressAt,
    Optional<String> lastError,
    String rpcUrl,
    String websocket) {

  /** Whether the chain needs attention (stalled or halted). */
  public boolean unhealthy() {
    return status.equals("stalled") || status.equals("halted");
  }
}
