package dev.lockstep.sandbox;

import dev.lockstep.indexer.decode.LogDecoder;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;

/**
 * What the chain and the index hold of one token's Transfers, for tests of a daemon run as its own
 * process: each as {@code block:logIndex}, in chain order, and the indexer's checkpoint.
 */
final class IndexedTransfers {
  private IndexedTransfers() {}

  /** The token's Transfer logs in blocks {@code from..to}, as the node returns them. */
  static List<String> onChain(Web3j web3j, String token, long from, long to) throws Exception {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
            token);
    filter.addSingleTopic(LogDecoder.TRANSFER);
    List<String> out = new ArrayList<>();
    for (var l : web3j.ethGetLogs(filter).send().getLogs()) {
      Log log = (Log) l.get();
      out.add(log.getBlockNumber() + ":" + log.getLogIndex());
    }
    return out;
  }

  /** The token's rows in {@code indexer.transfers} up to block {@code to}, in chain order. */
  static List<String> indexed(Connection c, String token, long to) throws Exception {
    List<String> out = new ArrayList<>();
    try (ResultSet rs =
        c.createStatement()
            .executeQuery(
                "SELECT block_number || ':' || log_index FROM indexer.transfers WHERE token = '"
                    + token.toLowerCase()
                    + "' AND block_number <= "
                    + to
                    + " ORDER BY block_number, log_index")) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  /** The indexer's checkpoint of chain 31337, or -1 before its schema or first commit. */
  static long checkpoint(Connection c) throws Exception {
    try (ResultSet rs =
        c.createStatement().executeQuery("SELECT to_regclass('indexer.checkpoints') IS NULL")) {
      rs.next();
      if (rs.getBoolean(1)) return -1; // the indexer process has not migrated yet
    }
    try (ResultSet rs =
        c.createStatement()
            .executeQuery(
                "SELECT coalesce((SELECT block_number FROM indexer.checkpoints WHERE chain_id = 31337), -1)")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
