package dev.lockstep.indexer.store;

import dev.lockstep.indexer.decode.IndexedEvent;
import dev.lockstep.indexer.rpc.BlockHeader;
import java.util.List;

/**
 * Everything the indexer learned about blocks {@code fromBlock..toBlock} of one chain, committed
 * atomically with the checkpoint.
 *
 * @param chainId chain id
 * @param fromBlock first block (inclusive)
 * @param toBlock last block (inclusive); the new checkpoint
 * @param headers headers in ascending order: always the first and last block of the range, every
 *     block holding an event, and every unfinalized block
 * @param events decoded events of the range other than ERC-20 Transfers (token deployments, order
 *     lifecycle, payout currencies), ordered by (block number, log index)
 * @param transfers the range's ERC-20 Transfers, already prepared for COPY and summed per holder
 */
public record Batch(
    long chainId,
    long fromBlock,
    long toBlock,
    List<BlockHeader> headers,
    List<IndexedEvent> events,
    TransferBulk transfers) {
  public Batch {
    headers = List.copyOf(headers);
    events = List.copyOf(events);
    if (headers.isEmpty()
        || headers.getFirst().number() != fromBlock
        || headers.getLast().number() != toBlock) {
      throw new IllegalArgumentException(
          "headers must start at " + fromBlock + " and end at " + toBlock);
    }
  }

  /** Events in the batch, Transfers included. */
  public int eventCount() {
    return events.size() + transfers.rows();
  }

  /** The header of the first block; its parent hash must be the checkpoint's hash. */
  public BlockHeader first() {
    return headers.getFirst();
  }

  /** The header of the last block: the checkpoint this batch moves to. */
  public BlockHeader last() {
    return headers.getLast();
  }
}
