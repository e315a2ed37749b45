package dev.lockstep.indexer.sync;

import dev.lockstep.indexer.IndexerException;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.decode.IndexedEvent;
import dev.lockstep.indexer.decode.LogDecoder;
import dev.lockstep.indexer.rpc.ChainRpc;
import dev.lockstep.indexer.rpc.RangeTooLargeException;
import dev.lockstep.indexer.rpc.RpcErrorKind;
import dev.lockstep.indexer.rpc.RpcException;
import dev.lockstep.indexer.store.Batch;
import dev.lockstep.indexer.store.BlockHeader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Fetches one block range of a chain: the logs of the factory, the order book, the configured
 * ERC-20s (each from its own start block) and every known asset token, including tokens the
 * factory deploys inside the range (their TokenDeployed logs are read first), and the headers the
 * index needs.
 *
 * <p>Headers: every block at or above {@code fullHeadersFrom} (the unfinalized part, whose hash
 * chain the indexer keeps for fork detection), and below it only the first and last block of the
 * range and the blocks that hold logs (their timestamps and hashes). Every log is checked against
 * the header of its block fetched in the same range, and consecutive headers must chain by parent
 * hash: a node that is behind, load-balanced onto another backend, or on another fork fails the
 * fetch (retryable) instead of making events vanish or appear. A log marked {@code removed} fails
 * the fetch the same way. A range the provider refuses as too large is split in halves.
 */
final class RangeFetcher {
  private final ChainConfig chain;
  private final ChainRpc rpc;
  private final RangeSizer sizer;
  private final LogDecoder decoder = new LogDecoder();

  RangeFetcher(ChainConfig chain, ChainRpc rpc, RangeSizer sizer) {
    this.chain = chain;
    this.rpc = rpc;
    this.sizer = sizer;
  }

  /**
   * Fetches blocks {@code from..to}.
   *
   * @param knownTokens asset tokens deployed before {@code from}
   * @param fullHeadersFrom first block whose header is fetched even without logs
   */
  Batch fetch(long from, long to, Set<String> knownTokens, long fullHeadersFrom) throws IOException {
    Set<String> addresses = new LinkedHashSet<>(knownTokens);
    addresses.add(chain.factory());
    addresses.add(chain.orderBook());
    Map<String, Long> configuredFrom = new HashMap<>();
    for (ChainConfig.Erc20 t : chain.tokens()) {
      if (t.startBlock() <= to) {
        addresses.add(t.address());
        configuredFrom.put(t.address(), t.startBlock());
      }
    }
    for (Log log : logs(from, to, List.of(chain.factory()), LogDecoder.TOKEN_DEPLOYED)) {
      decoder.decode(log).ifPresent(e -> {
        if (e instanceof IndexedEvent.TokenDeployed d) {
          addresses.add(d.token());
        }
      });
    }
    List<Log> logs = logs(from, to, List.copyOf(addresses), null);

    TreeSet<Long> wanted = new TreeSet<>(List.of(from, to));
    for (long n = Math.max(from, fullHeadersFrom); n <= to; n++) {
      wanted.add(n);
    }
    for (Log log : logs) {
      wanted.add(log.getBlockNumber().longValueExact());
    }
    List<BlockHeader> headers = rpc.headers(wanted);
    Map<Long, String> hashes = new HashMap<>();
    for (int i = 0; i < headers.size(); i++) {
      BlockHeader h = headers.get(i);
      hashes.put(h.number(), h.hash());
      if (i > 0 && headers.get(i - 1).number() == h.number() - 1 && !h.parentHash().equals(headers.get(i - 1).hash())) {
        throw inconsistent("headers of " + from + ".." + to + " do not chain at block " + h.number());
      }
    }
    List<IndexedEvent> events = new ArrayList<>();
    for (Log log : logs) {
      long n = log.getBlockNumber().longValueExact();
      if (log.isRemoved()) {
        throw inconsistent("node returned a removed log at block " + n + " in " + from + ".." + to);
      }
      if (!log.getBlockHash().equalsIgnoreCase(hashes.get(n))) {
        throw inconsistent("log block hash " + log.getBlockHash() + " at block " + n + " disagrees with header "
            + hashes.get(n) + " (node moved between calls, or answers from another fork)");
      }
      Long startBlock = configuredFrom.get(log.getAddress().toLowerCase());
      if (startBlock != null && n < startBlock) {
        continue;
      }
      decoder.decode(log).ifPresent(events::add);
    }
    events.sort(Comparator.comparingLong((IndexedEvent e) -> e.position().blockNumber())
        .thenComparingInt(e -> e.position().logIndex()));
    return new Batch(chain.chainId(), from, to, headers, events);
  }

  private static IndexerException inconsistent(String message) {
    return new IndexerException(message, true, new RpcException(RpcErrorKind.INCONSISTENT, message));
  }

  /** eth_getLogs over {@code from..to}, split in halves (recursively) while the provider refuses the range. */
  private List<Log> logs(long from, long to, List<String> addresses, String topic0) throws IOException {
    try {
      List<Log> logs = rpc.logs(from, to, addresses, topic0);
      if (topic0 == null) {
        sizer.succeeded((int) (to - from + 1), logs.size());
      }
      return logs;
    } catch (RangeTooLargeException e) {
      if (from == to) {
        throw new IndexerException("provider refuses even a single block (" + from + "): " + e.getMessage(), true, e);
      }
      sizer.refused((int) (to - from + 1));
      long mid = from + (to - from) / 2;
      List<Log> out = new ArrayList<>(logs(from, mid, addresses, topic0));
      out.addAll(logs(mid + 1, to, addresses, topic0));
      return out;
    }
  }
}
