package dev.lockstep.indexer.rpc;

import java.util.Arrays;
import java.util.Locale;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A block as {@code eth_getBlockByNumber} describes it: the header fields the index keeps and the
 * block's logs bloom.
 *
 * @param header number, hash, parent hash and timestamp
 * @param logsBloom the 2048-bit bloom filter over every log's address and topics (Yellow Paper
 *     section 4.3.1), 256 bytes; empty if the node did not send one
 * @param receiptsRoot the root of the block's receipts trie, 0x-hex; empty if not sent
 */
public record RpcBlock(BlockHeader header, byte[] logsBloom, String receiptsRoot) {
  /**
   * Whether the bloom admits a log emitted by {@code address} (0x-hex). False means the block
   * certainly holds no log of that contract; true may be a false positive. No bloom admits all.
   */
  public boolean mayHoldLogsOf(String address) {
    if (logsBloom.length == 0) {
      return true;
    }
    byte[] h = Hash.sha3(Numeric.hexStringToByteArray(address.toLowerCase(Locale.ROOT)));
    for (int i = 0; i < 6; i += 2) {
      int bit = ((h[i] & 0xff) << 8 | (h[i + 1] & 0xff)) & 2047;
      if ((logsBloom[255 - bit / 8] & (1 << (bit % 8))) == 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RpcBlock b
        && header.equals(b.header)
        && Arrays.equals(logsBloom, b.logsBloom)
        && receiptsRoot.equals(b.receiptsRoot);
  }

  @Override
  public int hashCode() {
    return 31 * header.hashCode() + Arrays.hashCode(logsBloom);
  }

  @Override
  public String toString() {
    return "RpcBlock[" + header + "]";
  }
}
