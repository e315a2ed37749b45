package dev.lockstep.indexer.rpc;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.web3j.protocol.core.methods.response.Log;

/**
 * One log of an {@code eth_getLogs} answer, as the node sent it; hex strings lowercased.
 *
 * @param address emitting contract, 0x-hex
 * @param topics topic0 (the event signature hash) first, then the indexed arguments; may be empty
 * @param data non-indexed arguments, 0x-hex ABI encoding
 * @param blockNumber number of the block holding the log
 * @param blockHash hash of that block
 * @param transactionHash hash of the transaction that emitted the log
 * @param logIndex position of the log in its block
 * @param removed true if the node marks the log as removed by a reorg
 */
public record RawLog(
    String address,
    List<String> topics,
    String data,
    long blockNumber,
    String blockHash,
    String transactionHash,
    int logIndex,
    boolean removed) {
  public RawLog {
    topics = List.copyOf(topics);
  }

  /** Topic {@code i}, or null if the log has fewer topics. */
  public @Nullable String topic(int i) {
    return i < topics.size() ? topics.get(i) : null;
  }

  /**
   * The same log as web3j's response type, for the ABI decoders of the generated contract wrappers.
   */
  public Log toWeb3j() {
    return new Log(
        removed,
        "0x" + Integer.toHexString(logIndex),
        null,
        transactionHash,
        blockHash,
        "0x" + Long.toHexString(blockNumber),
        address,
        data,
        null,
        topics);
  }
}
