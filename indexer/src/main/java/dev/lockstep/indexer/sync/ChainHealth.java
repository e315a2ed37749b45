package dev.lockstep.indexer.sync;

import java.time.Instant;
import java.util.Optional;

/**
 * A chain's sync state as health checks and the chains catalog report it.
 *
 * @param chainId chain id
 * @param name catalog name
 * @param status where the follower is (see {@link SyncStatus})
 * @param headBlock the node's latest block as last seen, or -1
 * @param indexedBlock last committed block
 * @param finalizedBlock highest block treated as final
 * @param lastProgressAt when the chain last committed a batch or found itself caught up
 * @param lastError the last step failure, if the last step failed
 * @param rpcUrl the RPC endpoint currently used
 * @param websocket the {@code newHeads} subscription (see {@link WebsocketState})
 */
public record ChainHealth(
    long chainId,
    String name,
    SyncStatus status,
    long headBlock,
    long indexedBlock,
    long finalizedBlock,
    Optional<Instant> lastProgressAt,
    Optional<String> lastError,
    String rpcUrl,
    WebsocketState websocket) {

  /** Whether the chain needs attention (stalled, degraded or halted). */
  public boolean unhealthy() {
    return switch (status) {
      case STALLED, DEGRADED, HALTED -> true;
      case STARTING, OK -> false;
    };
  }
}
