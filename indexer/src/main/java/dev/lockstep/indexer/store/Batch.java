package dev.lockstep.indexer.store;

import dev.lockstep.indexer.decode.IndexedEvent;
import java.util.List;

/**
 * Everything the indexer learned about blocks {@code fromBlock..toBlock} of one chain, committed
 * atomically with the checkpoint.
 *
 * @param chainId chain id
 * @param fromBlock first block (inclusive)
 * @param toBlock last block (inclusive); the new checkpoint
 * @param headers one header per block of the range, in order
 * @param events decoded events of the range, ordered by (block number, log index)
 */
public record Batch(long chainId, long fromBlock, long toBlock, List<BlockHeader> headers, List<IndexedEvent> events) {
  public Batch {
    headers = List.copyOf(headers);
    events = List.copyOf(events);
    if (headers.size() != toBlock - fromBlock + 1) {
      throw new IllegalArgumentException("one header per block of " + fromBlock + ".." + toBlock);
    }
  }

  /** The header of the last block: the checkpoint this batch moves to. */
  public BlockHeader last() {
    return headers.getLast();
  }
}
