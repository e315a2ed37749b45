package dev.lockstep.indexer.rpc;

import java.util.List;

/**
 * One transaction receipt of an {@code eth_getBlockReceipts} answer, with only the fields its
 * consensus encoding holds (the receipts root commits to them) and its logs.
 *
 * @param type the EIP-2718 transaction type (0 for legacy, 1 EIP-2930, 2 EIP-1559, 3 EIP-4844, 4
 *     EIP-7702)
 * @param status 1 for success, 0 for failure (EIP-658); receipts from before Byzantium, which carry
 *     a state root instead, are refused by the parser
 * @param cumulativeGasUsed gas used in the block up to and including this transaction
 * @param logsBloom the receipt's 2048-bit bloom, 256 bytes
 * @param logs the receipt's logs in order, hex lowercased
 */
public record RpcReceipt(
    int type, long status, long cumulativeGasUsed, byte[] logsBloom, List<RawLog> logs) {
  public RpcReceipt {
    logs = List.copyOf(logs);
  }

  /** The same receipt with other logs (what a node leaving logs out would send). */
  public RpcReceipt withLogs(List<RawLog> other) {
    return new RpcReceipt(type, status, cumulativeGasUsed, logsBloom, other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RpcReceipt r
        && type == r.type
        && status == r.status
        && cumulativeGasUsed == r.cumulativeGasUsed
        && java.util.Arrays.equals(logsBloom, r.logsBloom)
        && logs.equals(r.logs);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(type, status, cumulativeGasUsed, logs);
  }

  @Override
  public String toString() {
    return "RpcReceipt[type=" + type + ", status=" + status + ", logs=" + logs.size() + "]";
  }
}
