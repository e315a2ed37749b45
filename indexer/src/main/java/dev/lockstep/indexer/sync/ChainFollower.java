package dev.lockstep.indexer.sync;

import dev.lockstep.indexer.IndexerException;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.decode.IndexedEvent;
import dev.lockstep.indexer.store.Batch;
import dev.lockstep.indexer.store.BatchWriter;
import dev.lockstep.indexer.store.Checkpoint;
import dev.lockstep.indexer.store.IndexReader;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;

/**
 * Follows one chain on its own thread: polls the head, and while the checkpoint is behind {@code
 * head - confirmations} fetches the next range (at most {@code maxBlockRange} blocks) and commits
 * it with the checkpoint. After a restart it resumes from the committed checkpoint, so there is no
 * gap and no duplicate. A failing step is logged, counted and retried after a back-off; it never
 * stops the loop or another chain's loop.
 *
 * <p>A first block whose parent hash differs from the checkpoint's hash is a fork: it is logged,
 * counted, and the chain stops advancing (never silently diverges) until reorg rollback (issue #3)
 * exists.
 */
public final class ChainFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChainFollower.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final ChainConfig chain;
  private final Web3j web3j;
  private final BatchWriter writer;
  private final IndexReader reader;
  private final IndexerMetrics metrics;
  private final List<IndexListener> listeners;
  private final RangeFetcher fetcher;
  private final Set<String> knownTokens = ConcurrentHashMap.newKeySet();
  private volatile boolean running;
  private Thread thread;

  public ChainFollower(ChainConfig chain, Web3j web3j, BatchWriter writer, IndexReader reader,
      IndexerMetrics metrics, List<IndexListener> listeners) {
    this.chain = chain;
    this.web3j = web3j;
    this.writer = writer;
    this.reader = reader;
    this.metrics = metrics;
    this.listeners = List.copyOf(listeners);
    this.fetcher = new RangeFetcher(chain, web3j);
  }

  /** Registers the checkpoint and starts the sync thread. */
  public synchronized void start() {
    Checkpoint cp = writer.init(chain);
    reader.tokens().stream().filter(t -> t.chainId() == chain.chainId() && t.kind().equals("asset"))
        .forEach(t -> knownTokens.add(t.address()));
    log.info("indexer chainId={} resuming after block {} hash={}", chain.chainId(), cp.blockNumber(),
        cp.blockHash());
    running = true;
    thread = Thread.ofPlatform().name("indexer-" + chain.chainId()).daemon().start(this::loop);
  }

  private void loop() {
    Duration backoff = chain.pollInterval();
    while (running) {
      try {
        boolean progressed = step();
        backoff = chain.pollInterval();
        if (!progressed) {
          Thread.sleep(chain.pollInterval());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        metrics.rpcError();
        log.warn("indexer chainId={} step failed (retry in {} ms): {}", chain.chainId(), backoff.toMillis(),
            e.toString());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    }
  }

  /**
   * Indexes the next range if the chain is ahead of the checkpoint.
   *
   * @return whether a batch was committed
   * @throws IndexerException on a fork or an inconsistent node answer
   */
  boolean step() throws Exception {
    long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    metrics.head(head);
    long target = head - chain.confirmations();
    Checkpoint cp = reader.checkpoint(chain.chainId()).orElseThrow();
    if (cp.blockNumber() >= target) {
      return false;
    }
    long from = cp.blockNumber() + 1;
    long to = Math.min(target, cp.blockNumber() + chain.maxBlockRange());
    Batch batch = fetcher.fetch(from, to, Set.copyOf(knownTokens));
    String parent = batch.headers().getFirst().parentHash();
    if (!cp.blockHash().isEmpty() && !parent.equals(cp.blockHash())) {
      metrics.fork();
      throw new IndexerException("fork at block " + from + ": parent " + parent + " != indexed "
          + cp.blockHash() + " at block " + cp.blockNumber(), false);
    }
    if (!writer.write(batch, chain.orderBook())) {
      log.info("indexer chainId={} checkpoint moved under batch {}..{}; refetching", chain.chainId(), from, to);
      return true;
    }
    batch.events().stream().filter(e -> e instanceof IndexedEvent.TokenDeployed)
        .forEach(e -> knownTokens.add(((IndexedEvent.TokenDeployed) e).token()));
    metrics.committed(to, batch.events().size());
    log.debug("indexer chainId={} committed blocks {}..{} hash={} events={}", chain.chainId(), from, to,
        batch.last().hash(), batch.events().size());
    for (IndexListener l : listeners) {
      l.onCommitted(chain.chainId(), to);
    }
    return true;
  }

  /** The chain this follower indexes. */
  public ChainConfig chain() {
    return chain;
  }

  /** Stops the sync thread and waits for it; a batch in flight either commits whole or not at all. */
  @Override
  public synchronized void close() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
