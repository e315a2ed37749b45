package dev.lockstep.indexer.sync;

import dev.lockstep.indexer.IndexerException;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.decode.IndexedEvent;
import dev.lockstep.indexer.decode.LogDecoder;
import dev.lockstep.indexer.model.LogVerification;
import dev.lockstep.indexer.rpc.BlockHeader;
import dev.lockstep.indexer.rpc.ChainRpc;
import dev.lockstep.indexer.rpc.RangeTooLargeException;
import dev.lockstep.indexer.rpc.RawLog;
import dev.lockstep.indexer.rpc.ReceiptsRoot;
import dev.lockstep.indexer.rpc.RpcBlock;
import dev.lockstep.indexer.rpc.RpcErrorKind;
import dev.lockstep.indexer.rpc.RpcException;
import dev.lockstep.indexer.rpc.RpcReceipt;
import dev.lockstep.indexer.store.Batch;
import dev.lockstep.indexer.store.TransferBulk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fetches one block range of a chain: the logs of the factory, the order book, the configured
 * ERC-20s (each from its own start block) and every known asset token in one {@code eth_getLogs};
 * if the factory deployed tokens inside the range (its TokenDeployed logs are in that answer), a
 * second call fetches their logs from their deployment block. Then the headers the index needs. The
 * last block's header is read before the logs too and must not change: a node that lacks the end of
 * the range (behind, mid-reorg) would otherwise answer with fewer logs and no error; in the
 * unfinalized part, every block without logs whose bloom admits one of the contracts is asked again
 * by hash ({@link #checkBlooms}). Transfers are prepared for COPY here ({@link TransferBulk}), on
 * the fetching thread.
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
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RangeFetcher.class);

  private final ChainConfig chain;
  private final ChainRpc rpc;
  private final RangeSizer sizer;
  private final LogDecoder decoder = new LogDecoder();

  /** Told of every answer that failed verification and was fetched again. */
  private final java.util.function.Consumer<RpcErrorKind> onError;

  RangeFetcher(
      ChainConfig chain,
      ChainRpc rpc,
      RangeSizer sizer,
      java.util.function.Consumer<RpcErrorKind> onError) {
    this.onError = onError;
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
  Batch fetch(long from, long to, Set<String> knownTokens, long fullHeadersFrom)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        Batch b = fetchOnce(from, to, knownTokens, fullHeadersFrom);
        rpc.answerVerified();
        return b;
      } catch (IndexerException e) {
        // An answer that fails verification is fetched again at once, from the next endpoint
        // first; only a range that stays inconsistent fails the step (and its backoff).
        if (attempt >= INCONSISTENT_REFETCHES
            || !(e.getCause() instanceof RpcException r)
            || r.kind() != RpcErrorKind.INCONSISTENT) {
          throw e;
        }
        onError.accept(RpcErrorKind.INCONSISTENT);
        log.info(
            "indexer chainId={} blocks {}..{}: {}; fetching again from {}",
            chain.chainId(),
            from,
            to,
            e.getMessage(),
            rpc.preferNextUrl());
      }
    }
  }

  /** Fetches of one range whose answers fail verification before the step fails. */
  static final int INCONSISTENT_REFETCHES = 8;

  private Batch fetchOnce(long from, long to, Set<String> knownTokens, long fullHeadersFrom)
      throws IOException {
    Set<String> addresses = new LinkedHashSet<>(knownTokens);
    chain.factory().ifPresent(addresses::add);
    chain.orderBook().ifPresent(addresses::add);
    Map<String, Long> configuredFrom = new HashMap<>();
    for (ChainConfig.Erc20 t : chain.tokens()) {
      if (t.startBlock() <= to) {
        addresses.add(t.address());
        configuredFrom.put(t.address(), t.startBlock());
      }
    }
    // The node must hold block `to` before it answers eth_getLogs, and still the same block after:
    // a node that is behind (or mid-reorg) answers for the blocks it has and silently leaves the
    // rest out, which no per-log check can see.
    String toHashBefore = rpc.headers(List.of(to)).getFirst().hash();
    List<RawLog> logs = new ArrayList<>(logs(from, to, List.copyOf(addresses), true));
    // Tokens the factory deployed inside the range: their logs from their deployment block on.
    Map<String, Long> deployedHere = deployedIn(logs, addresses);
    if (!deployedHere.isEmpty()) {
      long first = deployedHere.values().stream().min(Long::compare).orElseThrow();
      logs.addAll(logs(first, to, List.copyOf(deployedHere.keySet()), false));
    }

    // Verified ranges need every block's header (its bloom, its receipts root), not only those
    // with logs in the answer: a block whose every log was left out would otherwise go unseen.
    long headersFrom = chain.verification() == LogVerification.NONE ? fullHeadersFrom : from;
    List<RpcBlock> blocks = rpc.blocks(wantedHeaders(from, to, headersFrom, logs));
    List<BlockHeader> headers = blocks.stream().map(RpcBlock::header).toList();
    Map<Long, String> hashes = chainedHashes(from, to, headers);
    if (!toHashBefore.equals(hashes.get(to))) {
      throw inconsistent(
          "block "
              + to
              + " changed from "
              + toHashBefore
              + " to "
              + hashes.get(to)
              + " while its range was fetched (reorg, or answers from different backends)");
    }
    List<String> queried = new ArrayList<>(addresses);
    queried.addAll(deployedHere.keySet());
    switch (chain.verification()) {
      case NONE -> {}
      case BLOOM -> checkBlooms(blocks, from, logs, queried, false);
      case RECEIPTS -> checkBlooms(blocks, from, logs, queried, true);
    }
    List<IndexedEvent> events = new ArrayList<>();
    TransferBulk transfers = new TransferBulk(chain.chainId());
    project(logs, hashes, configuredFrom, from, to, events, transfers);
    events.sort(
        Comparator.comparingLong((IndexedEvent e) -> e.position().blockNumber())
            .thenComparingInt(e -> e.position().logIndex()));
    return new Batch(chain.chainId(), from, to, headers, events, transfers);
  }

  // The per-log loops below are separate small methods, not part of fetch: the JIT then compiles
  // each loop on its own instead of recompiling all of fetch once per hot loop (on-stack
  // replacement), which cost about 1.5 s of C2 compiler CPU at the start of every backfill.

  /**
   * Asset tokens the factory deployed in {@code logs} that are not among {@code known}, with their
   * deployment block.
   */
  private Map<String, Long> deployedIn(List<RawLog> logs, Set<String> known) {
    Map<String, Long> deployed = new LinkedHashMap<>();
    for (RawLog log : logs) {
      if (log.address().equals(chain.factory().orElse(null))
          && LogDecoder.TOKEN_DEPLOYED.equals(log.topic(0))
          && decoder.decode(log).orElse(null) instanceof IndexedEvent.TokenDeployed d
          && !known.contains(d.token())) {
        deployed.putIfAbsent(d.token(), log.blockNumber());
      }
    }
    return deployed;
  }

  /**
   * The headers a range needs: its first and last block, every unfinalized block and every block
   * holding a log.
   */
  private static TreeSet<Long> wantedHeaders(
      long from, long to, long fullHeadersFrom, List<RawLog> logs) {
    TreeSet<Long> wanted = new TreeSet<>(List.of(from, to));
    for (long n = Math.max(from, fullHeadersFrom); n <= to; n++) {
      wanted.add(n);
    }
    long last = -1;
    for (RawLog log : logs) {
      if (log.blockNumber() != last) {
        last = log.blockNumber();
        wanted.add(last);
      }
    }
    return wanted;
  }

  /** Block hashes by number; consecutive headers must chain by parent hash. */
  private static Map<Long, String> chainedHashes(long from, long to, List<BlockHeader> headers) {
    Map<Long, String> hashes = new HashMap<>();
    for (int i = 0; i < headers.size(); i++) {
      BlockHeader h = headers.get(i);
      hashes.put(h.number(), h.hash());
      if (i > 0
          && headers.get(i - 1).number() == h.number() - 1
          && !h.parentHash().equals(headers.get(i - 1).hash())) {
        throw inconsistent(
            "headers of " + from + ".." + to + " do not chain at block " + h.number());
      }
    }
    return hashes;
  }

  /**
   * Checks every log against its block's header and decodes it: Transfers into {@code transfers},
   * other projected events into {@code events}. Logs of a configured ERC-20 before its start block
   * are skipped.
   */
  private void project(
      List<RawLog> logs,
      Map<Long, String> hashes,
      Map<String, Long> configuredFrom,
      long from,
      long to,
      List<IndexedEvent> events,
      TransferBulk transfers) {
    long block = -1;
    String blockHash = null;
    for (RawLog log : logs) {
      long n = log.blockNumber();
      if (log.removed()) {
        throw inconsistent("node returned a removed log at block " + n + " in " + from + ".." + to);
      }
      if (n != block) {
        block = n;
        blockHash = hashes.get(n);
      }
      if (!log.blockHash().equals(blockHash)) {
        throw inconsistent(
            "log block hash "
                + log.blockHash()
                + " at block "
                + n
                + " disagrees with header "
                + blockHash
                + " (node moved between calls, or answers from another fork)");
      }
      Long startBlock = configuredFrom.get(log.address());
      if (startBlock != null && n < startBlock) {
        continue;
      }
      switch (decoder.decode(log).orElse(null)) {
        case null -> {}
        case IndexedEvent.Transfer t -> transfers.add(t);
        case IndexedEvent e -> events.add(e);
      }
    }
  }

  /**
   * In every block at or above {@code checkFrom}, a followed contract whose address the block's
   * logs bloom admits is checked: with {@code receipts} false only if it has no log in the answer
   * (its logs are asked again by block hash, EIP-234); with {@code receipts} true always, against
   * the block's receipts, which must hash to the header's receipts root ({@link ReceiptsRoot}). A
   * log missing from the range's answers means the answer was incomplete: the fetch fails and is
   * retried (on the next endpoint first). Nothing new means a bloom false positive.
   */
  private void checkBlooms(
      List<RpcBlock> blocks,
      long checkFrom,
      List<RawLog> logs,
      List<String> addresses,
      boolean receipts)
      throws IOException {
    if (blocks.getLast().header().number() < checkFrom) {
      return; // wholly below the checked part: nothing to check
    }
    Map<Long, Set<String>> emitters = new HashMap<>();
    Map<Long, Set<Integer>> indexes = new HashMap<>();
    for (RawLog l : logs) {
      if (l.blockNumber() >= checkFrom) {
        emitters.computeIfAbsent(l.blockNumber(), k -> new HashSet<>()).add(l.address());
        indexes.computeIfAbsent(l.blockNumber(), k -> new HashSet<>()).add(l.logIndex());
      }
    }
    List<RpcBlock> checked = new ArrayList<>();
    List<List<String>> suspects = new ArrayList<>();
    for (RpcBlock b : blocks) {
      long n = b.header().number();
      if (n < checkFrom) {
        continue;
      }
      Set<String> seen = emitters.getOrDefault(n, Set.of());
      // By hash, only the contracts the bloom admits and the answer lacks (a dense block's bloom
      // admits nearly everything; asking for the others would download the block's logs again).
      List<String> unseen =
          addresses.stream().filter(a -> !seen.contains(a) && b.mayHoldLogsOf(a)).toList();
      if (receipts ? addresses.stream().anyMatch(b::mayHoldLogsOf) : !unseen.isEmpty()) {
        checked.add(b);
        suspects.add(unseen);
      }
    }
    if (checked.isEmpty()) {
      return;
    }
    List<List<Integer>> found = new ArrayList<>();
    if (receipts) {
      for (int i = 0; i < checked.size(); i += ChainRpc.RECEIPTS_CHUNK) {
        found.addAll(
            receiptLogIndexes(
                checked.subList(i, Math.min(checked.size(), i + ChainRpc.RECEIPTS_CHUNK)),
                addresses));
      }
    } else {
      List<List<RawLog>> byHash =
          rpc.logsOfBlocks(checked.stream().map(b -> b.header().hash()).toList(), suspects);
      byHash.forEach(l -> found.add(l.stream().map(RawLog::logIndex).toList()));
    }
    for (int k = 0; k < checked.size(); k++) {
      long n = checked.get(k).header().number();
      Set<Integer> have = indexes.getOrDefault(n, Set.of());
      long missed = found.get(k).stream().filter(i -> !have.contains(i)).count();
      if (missed > 0) {
        throw inconsistent(
            "eth_getLogs left out "
                + missed
                + " logs of block "
                + n
                + " that its "
                + (receipts
                    ? "receipts (matching the header's receipts root)"
                    : "bloom and a by-hash query")
                + " show (node behind, or a lagging backend)");
      }
    }
  }

  /**
   * For each block, the log indexes of {@code addresses}' logs in its receipts, after checking that
   * they hash to its header's receipts root. One batch.
   */
  private List<List<Integer>> receiptLogIndexes(List<RpcBlock> blocks, List<String> addresses)
      throws IOException {
    List<List<RpcReceipt>> receipts =
        rpc.blockReceipts(blocks.stream().map(b -> b.header().hash()).toList());
    Set<String> wanted = new HashSet<>(addresses);
    List<List<Integer>> out = new ArrayList<>(blocks.size());
    for (int k = 0; k < blocks.size(); k++) {
      RpcBlock b = blocks.get(k);
      String root = ReceiptsRoot.of(receipts.get(k));
      if (!root.equalsIgnoreCase(b.receiptsRoot())) {
        throw inconsistent(
            "receipts of block "
                + b.header().number()
                + " hash to "
                + root
                + ", not the header's receipts root "
                + b.receiptsRoot()
                + " (altered or incomplete receipts)");
      }
      List<Integer> indexes = new ArrayList<>();
      for (RpcReceipt r : receipts.get(k)) {
        for (RawLog l : r.logs()) {
          if (wanted.contains(l.address())) {
            indexes.add(l.logIndex());
          }
        }
      }
      out.add(indexes);
    }
    return out;
  }

  private static IndexerException inconsistent(String message) {
    return new IndexerException(
        message, true, new RpcException(RpcErrorKind.INCONSISTENT, message));
  }

  /**
   * eth_getLogs over {@code from..to}, split in halves (recursively) while the provider refuses the
   * range.
   *
   * @param sizing whether the answer steers the {@link RangeSizer} (the range's main query)
   */
  private List<RawLog> logs(long from, long to, List<String> addresses, boolean sizing)
      throws IOException {
    try {
      List<RawLog> logs = rpc.logs(from, to, addresses, null);
      if (sizing) {
        sizer.succeeded((int) (to - from + 1), logs.size());
      }
      return logs;
    } catch (RangeTooLargeException e) {
      if (from == to) {
        throw new IndexerException(
            "provider refuses even a single block (" + from + "): " + e.getMessage(), true, e);
      }
      sizer.refused((int) (to - from + 1));
      long mid = from + (to - from) / 2;
      List<RawLog> out = new ArrayList<>(logs(from, mid, addresses, sizing));
      out.addAll(logs(mid + 1, to, addresses, sizing));
      return out;
    }
  }
}
