package dev.lockstep.indexer.sync;

import dev.lockstep.indexer.IndexerException;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.decode.IndexedEvent;
import dev.lockstep.indexer.decode.LogDecoder;
import dev.lockstep.indexer.store.Batch;
import dev.lockstep.indexer.store.BlockHeader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Fetches one block range of a chain: the headers of every block and the logs of the factory, the
 * order book, the configured stablecoins and every known asset token, including tokens the factory
 * deploys inside the range (their TokenDeployed logs are read first). Logs are checked against the
 * headers fetched for the same range; a log whose block hash disagrees, or that is marked removed,
 * fails the fetch as retryable rather than be indexed.
 */
final class RangeFetcher {
  private final ChainConfig chain;
  private final Web3j web3j;
  private final LogDecoder decoder = new LogDecoder();

  RangeFetcher(ChainConfig chain, Web3j web3j) {
    this.chain = chain;
    this.web3j = web3j;
  }

  /** Fetches blocks {@code from..to}; {@code knownTokens} are the asset tokens deployed before {@code from}. */
  Batch fetch(long from, long to, Set<String> knownTokens) throws IOException {
    Set<String> addresses = new LinkedHashSet<>(knownTokens);
    addresses.add(chain.factory());
    addresses.add(chain.orderBook());
    chain.stablecoins().forEach(s -> addresses.add(s.address()));
    for (Log log : logs(from, to, List.of(chain.factory()), LogDecoder.TOKEN_DEPLOYED)) {
      decoder.decode(log).ifPresent(e -> {
        if (e instanceof IndexedEvent.TokenDeployed d) {
          addresses.add(d.token());
        }
      });
    }
    List<BlockHeader> headers = headers(from, to);
    Map<Long, String> hashes = new HashMap<>();
    headers.forEach(h -> hashes.put(h.number(), h.hash()));
    List<IndexedEvent> events = new ArrayList<>();
    for (Log log : logs(from, to, List.copyOf(addresses), null)) {
      if (log.isRemoved()) {
        throw new IndexerException("node returned a removed log in " + from + ".." + to, true);
      }
      long n = log.getBlockNumber().longValueExact();
      if (!log.getBlockHash().equalsIgnoreCase(hashes.get(n))) {
        throw new IndexerException("log block hash " + log.getBlockHash() + " at block " + n
            + " disagrees with header " + hashes.get(n) + " (node moved between calls)", true);
      }
      decoder.decode(log).ifPresent(events::add);
    }
    events.sort(Comparator.comparingLong((IndexedEvent e) -> e.position().blockNumber())
        .thenComparingInt(e -> e.position().logIndex()));
    return new Batch(chain.chainId(), from, to, headers, events);
  }

  private List<Log> logs(long from, long to, List<String> addresses, String topic0) throws IOException {
    EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(java.math.BigInteger.valueOf(from)),
        DefaultBlockParameter.valueOf(java.math.BigInteger.valueOf(to)), addresses);
    if (topic0 != null) {
      filter.addSingleTopic(topic0);
    }
    EthLog response = web3j.ethGetLogs(filter).send();
    if (response.hasError()) {
      throw new IndexerException("eth_getLogs " + from + ".." + to + ": " + response.getError().getMessage(), true);
    }
    List<Log> out = new ArrayList<>();
    for (EthLog.LogResult<?> r : response.getLogs()) {
      out.add((Log) r.get());
    }
    return out;
  }

  private List<BlockHeader> headers(long from, long to) throws IOException {
    BatchRequest batch = web3j.newBatch();
    for (long n = from; n <= to; n++) {
      batch.add(web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(java.math.BigInteger.valueOf(n)), false));
    }
    List<BlockHeader> headers = new ArrayList<>();
    for (Response<?> r : batch.send().getResponses()) {
      EthBlock.Block b = r.hasError() || r.getResult() == null ? null : ((EthBlock) r).getBlock();
      if (b == null) {
        throw new IndexerException("node has no block in " + from + ".." + to + " yet", true);
      }
      headers.add(new BlockHeader(b.getNumber().longValueExact(), b.getHash().toLowerCase(),
          b.getParentHash().toLowerCase(), Instant.ofEpochSecond(b.getTimestamp().longValueExact())));
    }
    for (int i = 1; i < headers.size(); i++) {
      if (!headers.get(i).parentHash().equals(headers.get(i - 1).hash())) {
        throw new IndexerException("headers of " + from + ".." + to + " do not chain at block "
            + headers.get(i).number() + " (node moved between calls)", true);
      }
    }
    return headers;
  }
}
