package dev.lockstep.indexer.sync;

import dev.lockstep.indexer.IndexerException;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.decode.IndexedEvent;
import dev.lockstep.indexer.model.TokenKind;
import dev.lockstep.indexer.rpc.BlockHeader;
import dev.lockstep.indexer.rpc.ChainRpc;
import dev.lockstep.indexer.rpc.RpcErrorKind;
import dev.lockstep.indexer.store.Batch;
import dev.lockstep.indexer.store.BatchWriter;
import dev.lockstep.indexer.store.Checkpoint;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.Rollback;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one chain on its own thread, so a slow or failing chain never stalls another.
 *
 * <p><b>Backfill and live.</b> Each step reads the node's head and indexes up to {@code head -
 * confirmations}: ranges (sized by {@link RangeSizer}) are fetched concurrently, at most {@code
 * fetchConcurrency} ahead, and committed strictly in order, each with its checkpoint in one
 * transaction. Caught up, the loop waits for the next poll or a {@code newHeads} notification.
 *
 * <p><b>Reorgs.</b> A batch whose first parent hash is not the checkpoint's hash, or a head below
 * the checkpoint whose hash differs from the kept one, triggers a check of the checkpoint block on
 * the node. If the node has another block there, the follower walks the kept hash chain down to the
 * newest block the node agrees on (the common ancestor), rolls every derived row above it back in
 * one transaction, and re-indexes from there. A fork below the finalized block halts the chain with
 * a logged error and {@code halted} health; it never diverges silently.
 *
 * <p><b>Liveness.</b> Failed steps are logged, counted and retried with exponential backoff and
 * jitter; the chain reports {@code stalled} when it is behind without progress, or its RPC keeps
 * failing, for longer than {@code stallAfter}, and recovers by itself when the node does.
 */
public final class ChainFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChainFollower.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final int ANCESTOR_CHUNK = 64;

  private final BackfillProgress progress;
  private final ChainConfig chain;
  private final ChainRpc rpc;
  private final BatchWriter writer;
  private final IndexReader reader;
  private final IndexerMetrics metrics;
  private final List<IndexListener> listeners;
  private final Clock clock;
  private final RangeFetcher fetcher;
  private final RangeSizer sizer;
  private final Set<String> knownTokens = ConcurrentHashMap.newKeySet();
  private final Semaphore wake = new Semaphore(0);
  private final @Nullable HeadWatcher heads;
  private final ExecutorService fetchers;
  private volatile boolean running;
  private volatile @Nullable Instant lastProgressAt;
  private volatile @Nullable Instant lastStepAt;
  private volatile @Nullable String lastError;
  private volatile @Nullable String haltedReason;

  /** Why answers keep failing verification, while they do ({@link SyncStatus#DEGRADED}). */
  private volatile @Nullable String degradedReason;

  /** Steps in a row that failed on an inconsistent answer. */
  private int inconsistentInARow;

  /** Inconsistent steps in a row after which the chain is reported degraded. */
  private static final int DEGRADED_AFTER = 3;

  private volatile @Nullable Checkpoint checkpoint;
  private volatile @Nullable Instant started;
  private @Nullable Thread thread;

  /**
   * @param registry where the chain's {@link IndexerMetrics} are registered
   */
  public ChainFollower(
      ChainConfig chain,
      BatchWriter writer,
      IndexReader reader,
      MeterRegistry registry,
      List<IndexListener> listeners,
      Clock clock) {
    this.chain = chain;
    this.progress = new BackfillProgress(chain.chainId());
    this.writer = writer;
    this.reader = reader;
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
    this.heads =
        chain.wsUrl().map(url -> new HeadWatcher(url, chain.chainId(), wake::release)).orElse(null);
    this.metrics =
        new IndexerMetrics(
            registry,
            chain.chainId(),
            clock,
            () -> health().unhealthy(),
            () -> heads != null && heads.connected());
    this.rpc =
        new ChainRpc(
            chain.rpcUrls(),
            chain.requestTimeout(),
            3,
            metrics::rpcError,
            url -> {
              metrics.demoted();
              log.warn(
                  "indexer chainId={} RPC endpoint {} demoted for {}: its answers keep failing"
                      + " verification",
                  chain.chainId(),
                  url,
                  ChainRpc.DEMOTION);
            });
    this.sizer = new RangeSizer(chain.maxBlockRange(), chain.targetLogsPerRange());
    this.fetcher = new RangeFetcher(chain, rpc, sizer, metrics::rpcError);
    this.fetchers =
        Executors.newFixedThreadPool(
            chain.fetchConcurrency(),
            r ->
                Thread.ofPlatform().name("indexer-fetch-" + chain.chainId()).daemon().unstarted(r));
  }

  /**
   * Registers the checkpoint and starts the sync thread (and the newHeads subscription, if
   * configured).
   */
  public synchronized void start() {
    checkpoint = writer.init(chain);
    haltedReason = checkpoint.haltedReason().orElse(null);
    loadKnownTokens();
    log.info(
        "indexer chainId={} resuming after block {} hash={} finalized={}",
        chain.chainId(),
        checkpoint.blockNumber(),
        checkpoint.blockHash(),
        checkpoint.finalizedBlock());
    running = true;
    started = clock.instant();
    thread = Thread.ofPlatform().name("indexer-" + chain.chainId()).daemon().start(this::loop);
    if (heads != null) {
      heads.start();
    }
  }

  private void loop() {
    Duration backoff = chain.pollInterval();
    while (running) {
      try {
        boolean progressed = step();
        lastStepAt = clock.instant();
        lastError = null;
        inconsistentInARow = 0;
        if (degradedReason != null) {
          log.info(
              "indexer chainId={} answers verify again at block {}: no longer degraded",
              chain.chainId(),
              checkpoint == null ? -1 : checkpoint.blockNumber());
          degradedReason = null;
        }
        backoff = chain.pollInterval();
        if (!progressed) {
          wake.tryAcquire(chain.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (!running) {
          return;
        }
        lastError = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof IndexerException ie && !ie.retryable()) {
          haltedOrFatal(ie);
        } else if (!(e instanceof java.io.IOException)
            && RpcErrorKind.of(e) == RpcErrorKind.INCONSISTENT) {
          // Answers that disagree (logs vs headers, or a negative balance they would cause) are
          // found after the calls; failed calls themselves were counted per attempt by ChainRpc.
          metrics.rpcError(RpcErrorKind.INCONSISTENT);
          String next = rpc.preferNextUrl();
          if (++inconsistentInARow >= DEGRADED_AFTER && degradedReason == null) {
            degradedReason = lastError;
            log.error(
                "indexer chainId={} DEGRADED: {} steps in a row got answers that fail verification,"
                    + " last: {}; fetching again from {} (resumes by itself)",
                chain.chainId(),
                inconsistentInARow,
                lastError,
                next);
          }
        }
        long jittered =
            (long) (backoff.toMillis() * (0.75 + ThreadLocalRandom.current().nextDouble() * 0.5));
        log.warn(
            "indexer chainId={} step failed (retry in {} ms): {}",
            chain.chainId(),
            jittered,
            lastError);
        try {
          Thread.sleep(jittered);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  private void haltedOrFatal(IndexerException e) {
    Optional<String> halted = reader.checkpoint(chain.chainId()).flatMap(Checkpoint::haltedReason);
    if (halted.isPresent()) {
      if (haltedReason == null) {
        log.error(
            "indexer chainId={} HALTED: {}. Rows above the finalized block may not match the chain; "
                + "clear indexer.checkpoints.halted_reason after investigating to resume.",
            chain.chainId(),
            halted.get());
      }
      haltedReason = halted.get();
    } else {
      log.error("indexer chainId={} non-retryable failure: {}", chain.chainId(), e.getMessage());
    }
  }

  /**
   * Indexes what the node has beyond the checkpoint, handling a fork first if there is one.
   *
   * @return whether anything was committed or rolled back
   */
  boolean step() throws Exception {
    long head = rpc.blockNumber();
    metrics.head(head);
    Checkpoint cp = reader.checkpoint(chain.chainId()).orElseThrow();
    checkpoint = cp;
    if (cp.haltedReason().isPresent()) {
      throw new IndexerException(
          "chain " + chain.chainId() + " is halted: " + cp.haltedReason().get(), false);
    }
    haltedReason = null;
    if (head < cp.blockNumber()) {
      // The node is behind us, or on a shorter fork: only the latter needs action.
      return !cp.blockHash().isEmpty() && resolveFork(head);
    }
    long target = head - chain.confirmations();
    if (cp.blockNumber() >= target) {
      // Caught up: a reorg that replaced the tip without growing the chain shows only as another
      // hash at the checkpoint's height.
      boolean rolledBack =
          !cp.blockHash().isEmpty()
              && cp.blockNumber() >= 0
              && !rpc.headers(List.of(cp.blockNumber())).getFirst().hash().equals(cp.blockHash())
              && resolveFork(cp.blockNumber());
      lastProgressAt = clock.instant();
      if (!rolledBack) {
        progress.caughtUp(cp.blockNumber(), cp.blockHash());
      }
      return rolledBack;
    }
    progress.starting(cp.blockNumber() + 1, target);
    return backfill(cp, target, head - chain.finalityDepth());
  }

  /** Fetches {@code cp+1..target} in concurrent ranges and commits them in order. */
  private boolean backfill(Checkpoint cp, long target, long finalizedCandidate) throws Exception {
    Deque<Future<Batch>> inflight = new ArrayDeque<>();
    long next = cp.blockNumber() + 1;
    boolean progressed = false;
    try {
      while (running && (next <= target || !inflight.isEmpty())) {
        Set<String> tokens = Set.copyOf(knownTokens);
        while (inflight.size() < chain.fetchConcurrency() && next <= target) {
          long from = next;
          long to = Math.min(target, from + sizer.next() - 1);
          inflight.add(fetchers.submit(() -> fetcher.fetch(from, to, tokens, finalizedCandidate)));
          next = to + 1;
        }
        long waitStart = System.nanoTime();
        Batch batch = await(inflight.poll());
        long writeStart = System.nanoTime();
        BatchWriter.Written written =
            writer.write(batch, chain.orderBook().orElse(""), finalizedCandidate);
        if (log.isDebugEnabled()) {
          log.debug(
              "indexer chainId={} blocks {}..{}: waited {} ms for the fetch, wrote in {} ms",
              chain.chainId(),
              batch.fromBlock(),
              batch.toBlock(),
              (writeStart - waitStart) / 1_000_000,
              (System.nanoTime() - writeStart) / 1_000_000);
        }
        switch (written.outcome()) {
          case APPLIED -> {
            progressed = true;
            committed(batch, written.checkpoint());
            progress.committed(batch.toBlock(), target, batch.eventCount());
            if (newTokens(batch)) {
              // Ranges already in flight were fetched without the new token's address.
              cancel(inflight);
              next = batch.toBlock() + 1;
            }
          }
          case STALE -> {
            log.info(
                "indexer chainId={} checkpoint moved under batch {}..{}; refetching",
                chain.chainId(),
                batch.fromBlock(),
                batch.toBlock());
            return true;
          }
          case DISCONTINUOUS -> {
            return resolveFork(batch.fromBlock() - 1) || progressed;
          }
        }
      }
      return progressed;
    } finally {
      cancel(inflight);
    }
  }

  private static Batch await(Future<Batch> f) throws Exception {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }

  private static void cancel(Deque<Future<Batch>> inflight) {
    inflight.forEach(f -> f.cancel(true));
    inflight.clear();
  }

  private boolean newTokens(Batch batch) {
    boolean added = false;
    for (IndexedEvent e : batch.events()) {
      if (e instanceof IndexedEvent.TokenDeployed d) {
        added |= knownTokens.add(d.token());
      }
    }
    return added;
  }

  private void committed(Batch batch, Checkpoint cp) {
    checkpoint = cp;
    lastProgressAt = clock.instant();
    metrics.committed(
        batch.toBlock(), batch.last().timestamp(), cp.finalizedBlock(), batch.eventCount());
    log.debug(
        "indexer chainId={} committed blocks {}..{} events={}",
        chain.chainId(),
        batch.fromBlock(),
        batch.toBlock(),
        batch.eventCount());
    boolean orderEvents =
        batch.events().stream()
            .anyMatch(
                e ->
                    e instanceof IndexedEvent.OrderCreated
                        || e instanceof IndexedEvent.OrderPromoted
                        || e instanceof IndexedEvent.OrderSettled
                        || e instanceof IndexedEvent.OrderCancelled);
    for (IndexListener l : listeners) {
      l.onCommitted(chain.chainId(), batch.toBlock(), orderEvents);
    }
  }

  /**
   * Checks the kept block {@code at} against the node; if the node has another block there, finds
   * the common ancestor and rolls back to it.
   *
   * @return whether a rollback happened
   * @throws BatchWriter.DeepReorgException if the fork reaches below the finalized block
   */
  private boolean resolveFork(long at) throws Exception {
    Checkpoint cp = reader.checkpoint(chain.chainId()).orElseThrow();
    long top = Math.min(at, cp.blockNumber());
    Optional<String> kept = writer.storedHash(chain.chainId(), top);
    if (kept.isEmpty()) {
      throw new IndexerException(
          "no kept header for block " + top + " of chain " + chain.chainId(), true);
    }
    String onNode = rpc.headers(List.of(top)).getFirst().hash();
    if (onNode.equals(kept.get())) {
      log.info(
          "indexer chainId={} node answers moved between calls at block {}; refetching",
          chain.chainId(),
          top);
      return false;
    }
    BlockHeader ancestor = findAncestor(top, cp.finalizedBlock());
    Rollback.Summary s = writer.rollback(chain.chainId(), ancestor);
    metrics.rolledBack(ancestor.number(), s.depth());
    // Asset tokens deployed above the ancestor are gone from the index; forget them too.
    knownTokens.clear();
    loadKnownTokens();
    checkpoint = reader.checkpoint(chain.chainId()).orElseThrow();
    log.warn(
        "indexer chainId={} REORG: rolled back {} blocks ({} -> {}) removing {} transfers, {} order events; "
            + "{} delivered events retracted; re-indexing the canonical chain",
        chain.chainId(),
        s.depth(),
        s.fromBlock(),
        s.ancestor(),
        s.transfers(),
        s.orderEvents(),
        s.retracted());
    for (IndexListener l : listeners) {
      l.onRolledBack(chain.chainId(), ancestor.number());
    }
    return true;
  }

  /** Walks the kept hash chain down from {@code top} to the newest block the node agrees on. */
  private BlockHeader findAncestor(long top, long finalized) throws Exception {
    long hi = top;
    while (hi >= Math.max(finalized, 0)) {
      long lo = Math.max(Math.max(finalized, 0), hi - ANCESTOR_CHUNK + 1);
      List<BlockHeader> kept = writer.storedHeaders(chain.chainId(), lo, hi);
      if (kept.isEmpty()) {
        break;
      }
      Map<Long, String> node = new HashMap<>();
      rpc.headers(kept.stream().map(BlockHeader::number).toList())
          .forEach(h -> node.put(h.number(), h.hash()));
      for (BlockHeader k : kept) {
        if (k.hash().equals(node.get(k.number()))) {
          return k;
        }
      }
      hi = lo - 1;
    }
    String reason =
        "fork below the finalized block "
            + finalized
            + " of chain "
            + chain.chainId()
            + " (no kept block from "
            + top
            + " down to it matches the node): deeper than finality depth "
            + chain.finalityDepth();
    writer.halt(chain.chainId(), reason);
    throw new BatchWriter.DeepReorgException(reason);
  }

  /**
   * Loads the asset tokens the index knows on this chain: their logs are fetched with every range.
   */
  private void loadKnownTokens() {
    reader.tokens().stream()
        .filter(t -> t.chainId() == chain.chainId() && t.kind() == TokenKind.ASSET)
        .forEach(t -> knownTokens.add(t.address()));
  }

  /** The chain this follower indexes. */
  public ChainConfig chain() {
    return chain;
  }

  /** The chain's current sync state. */
  public ChainHealth health() {
    Instant now = clock.instant();
    Checkpoint cp = checkpoint;
    SyncStatus status;
    if (haltedReason != null) {
      status = SyncStatus.HALTED;
    } else if (degradedReason != null) {
      status = SyncStatus.DEGRADED;
    } else if (lastStepAt == null && lastProgressAt == null) {
      Instant since = started;
      status =
          since != null && Duration.between(since, now).compareTo(chain.stallAfter()) > 0
              ? SyncStatus.STALLED
              : SyncStatus.STARTING;
    } else if (lastProgressAt == null
        || Duration.between(lastProgressAt, now).compareTo(chain.stallAfter()) > 0) {
      status = SyncStatus.STALLED;
    } else {
      status = SyncStatus.OK;
    }
    WebsocketState ws =
        heads == null
            ? WebsocketState.OFF
            : heads.connected() ? WebsocketState.CONNECTED : WebsocketState.DOWN;
    return new ChainHealth(
        chain.chainId(),
        chain.name(),
        status,
        metrics.head(),
        cp == null ? -1 : cp.blockNumber(),
        cp == null ? -1 : cp.finalizedBlock(),
        Optional.ofNullable(lastProgressAt),
        Optional.ofNullable(haltedReason != null ? haltedReason : lastError),
        rpc.currentUrl(),
        ws);
  }

  /**
   * Stops the sync thread and waits for it; a batch in flight either commits whole or not at all.
   */
  @Override
  public synchronized void close() {
    running = false;
    if (heads != null) {
      heads.close();
    }
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    fetchers.shutdownNow();
    rpc.close();
  }
}
