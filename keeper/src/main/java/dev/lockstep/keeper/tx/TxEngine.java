package dev.lockstep.keeper.tx;

import dev.lockstep.keeper.KeeperMetrics;
import dev.lockstep.keeper.tx.RevertDecoder.DecodedError;
import dev.lockstep.keeper.tx.TxStore.Attempt;
import dev.lockstep.keeper.tx.TxStore.Intent;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The keeper's transaction engine for one signer on one chain: every intent is mined exactly once
 * from the chain's point of view, or closed with the reason it cannot be.
 *
 * <p><b>Durable outbox.</b> {@link #submit} commits an intent (target, call data, the order and
 * action it serves, an idempotency key) before anything else. A queued intent is simulated with
 * {@code eth_call}; if it would revert, it is closed without being broadcast ({@code done_by_other}
 * when the order already reached the state the call aims at, else {@code reverted} with the decoded
 * custom error). Otherwise its nonce is taken from the signer's lease and its signed transaction
 * recorded in one database transaction, and only then broadcast. Every fee bump and the final no-op
 * is recorded the same way. A restart resumes from these rows: a broadcast whose answer was lost
 * (timeout, crash) is broadcast again byte for byte, never re-signed as a new transaction.
 *
 * <p><b>Nonces.</b> Only the holder of the (chain, signer) lease in {@code keeper.nonce_leases}
 * assigns nonces, and only while the lease is unexpired (checked in the assigning transaction);
 * {@code UNIQUE (chain_id, signer, nonce)} backs it. Nonces between the chain's mined count and the
 * lease's next nonce that no intent holds are gaps: each is filled with a zero-value self-transfer.
 *
 * <p><b>Fees and replacement.</b> EIP-1559 fees from {@link FeeOracle}, capped. A transaction not
 * mined within {@code replaceAfter} is replaced with the same nonce and both fees raised by {@code
 * bumpPercent} (at least the node's 10%); after {@code maxReplacements} bumps the nonce gets a
 * zero-value self-transfer instead, and the intent closes {@code failed}.
 *
 * <p><b>Confirmation.</b> A mined transaction is final after {@code confirmations} blocks; if its
 * receipt disappears or moves to another block hash before that (a reorg), the intent goes back to
 * {@code submitted} and the same signed transaction is broadcast again. A reverted transaction is
 * decoded to its custom error; one that reverted because the order was already done is {@code
 * done_by_other}, never retried.
 *
 * <p>{@link #pump} does one round of all this; it is called by the keeper's Quartz job and is safe
 * to call from several daemons at once (only the lease holder acts). Not reentrant.
 */
public final class TxEngine {
  private static final Logger log = LoggerFactory.getLogger(TxEngine.class);
  private static final BigInteger NOOP_GAS = BigInteger.valueOf(21_000);

  private final long chainId;
  private final Web3j web3j;
  private final TxSigner signer;
  private final String from;
  private final SignerPolicy policy;
  private final TxStore store;
  private final TxEngineConfig config;
  private final FeeOracle fees;
  private final KeeperMetrics metrics;
  private final RevertDecoder reverts;
  private final Predicate<DecodedError> alreadyDone;
  private final String holder;
  private final Clock clock;

  /**
   * Intents whose nonce the chain has used while none of their transactions had a receipt yet,
   * since when.
   */
  private final Map<Long, Instant> usedWithoutReceipt =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param alreadyDone whether a custom error means the call's purpose is already achieved by
   *     someone else (for example settle of an order that is already settled)
   * @param holder this daemon's identity in nonce leases
   */
  public TxEngine(
      long chainId,
      Web3j web3j,
      TxSigner signer,
      SignerPolicy policy,
      TxStore store,
      TxEngineConfig config,
      KeeperMetrics metrics,
      RevertDecoder reverts,
      Predicate<DecodedError> alreadyDone,
      String holder,
      Clock clock) {
    this.chainId = chainId;
    this.web3j = web3j;
    this.signer = signer;
    this.from = signer.address();
    this.policy = policy;
    this.store = store;
    this.config = config;
    this.fees = new FeeOracle(web3j, config);
    this.metrics = metrics;
    this.reverts = reverts;
    this.alreadyDone = alreadyDone;
    this.holder = holder;
    this.clock = clock;
    metrics.engine(
        chainId,
        from,
        () ->
            store
                .oldestOpen(chainId, from)
                .map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0)
                .orElse(0.0));
  }

  /** The chain this engine sends on. */
  public long chainId() {
    return chainId;
  }

  /** The signer's address. */
  public String signer() {
    return from;
  }

  /**
   * Enqueues a call to be mined exactly once. Idempotent: an intent with {@code key} already
   * enqueued is returned unchanged, whatever its state.
   *
   * @throws SignerPolicy.DisallowedException if the policy forbids the call (nothing is enqueued)
   */
  public Intent submit(String key, String target, String callData, String action, Long orderId) {
    policy.check(from, target, BigInteger.ZERO, callData);
    return store.enqueue(key, chainId, from, target, callData, action, orderId, clock.instant());
  }

  /**
   * Enqueues many calls at once (each as {@link #submit}, keys already present untouched).
   *
   * @throws SignerPolicy.DisallowedException if the policy forbids any of them (nothing is
   *     enqueued)
   */
  public void submitAll(List<TxStore.NewIntent> all) {
    all.forEach(i -> policy.check(from, i.target(), BigInteger.ZERO, i.callData()));
    store.enqueueAll(chainId, from, all, clock.instant());
  }

  /** One round: lease, receipts and confirmations, replacements, gap fills, new transactions. */
  public void pump() throws IOException {
    long mined = nonce(DefaultBlockParameterName.LATEST);
    long pending = nonce(DefaultBlockParameterName.PENDING);
    OptionalLong lease = store.holdLease(chainId, from, holder, config.leaseTtl(), pending);
    if (lease.isEmpty()) {
      return; // another daemon holds this signer's nonces
    }
    long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    balance();
    trackSubmitted(mined);
    confirmMined(head);
    fillGaps(mined, lease.getAsLong());
    sendQueued();
  }

  /** Gives up the nonce lease (clean shutdown), so another daemon takes over at once. */
  public void release() {
    store.releaseLease(chainId, from, holder);
  }

  // --- submitted: mined? stuck? lost? ---------------------------------------------------------

  private void trackSubmitted(long minedNonce) throws IOException {
    Instant now = clock.instant();
    List<Intent> submitted = store.inStatus(chainId, from, "submitted", config.maxInFlight());
    Map<Long, List<Attempt>> attempts =
        store.attemptsOf(submitted.stream().map(Intent::id).toList());
    // Receipts of every attempt of the intents whose nonce the chain has used, in one batch.
    List<String> hashes = new ArrayList<>();
    for (Intent i : submitted) {
      if (i.nonce().orElseThrow() < minedNonce) {
        attempts.get(i.id()).forEach(a -> hashes.add(a.txHash()));
      }
    }
    Map<String, TransactionReceipt> receipts = receipts(hashes);
    for (Intent i : submitted) {
      long nonce = i.nonce().orElseThrow();
      List<Attempt> mine = attempts.get(i.id());
      if (nonce < minedNonce) {
        Optional<TransactionReceipt> r =
            mine.stream().map(a -> receipts.get(a.txHash())).filter(x -> x != null).findFirst();
        if (r.isPresent()) {
          usedWithoutReceipt.remove(i.id());
          store.mined(
              i.id(),
              r.get().getTransactionHash(),
              r.get().getBlockNumber().longValueExact(),
              r.get().getBlockHash(),
              now);
        } else if (Duration.between(usedWithoutReceipt.computeIfAbsent(i.id(), k -> now), now)
                .compareTo(config.rebroadcastAfter())
            > 0) {
          // The nonce is used but, for a while now, by none of our transactions (not a receipt that
          // a load-balanced node has not indexed yet): someone signed outside the engine.
          usedWithoutReceipt.remove(i.id());
          store.close(
              i.id(),
              "failed",
              "nonce " + nonce + " consumed by a transaction outside the engine",
              now);
          metrics.tx("failed", i.action());
          log.error(
              "keeper chainId={} signer={} nonce {} of intent {} consumed by a foreign transaction",
              chainId,
              from,
              nonce,
              i.idempotencyKey());
        }
        continue;
      }
      Attempt last = mine.getLast();
      if (i.replaceAfter().isPresent()
          && now.isAfter(i.replaceAfter().get())
          && !last.kind().equals("noop")) {
        replace(i, last, now);
      } else if (last.broadcastAt().isEmpty()
          || Duration.between(last.broadcastAt().get(), now).compareTo(config.rebroadcastAfter())
              > 0) {
        broadcast(i, last);
      }
    }
  }

  /** Receipts of {@code hashes} that exist, fetched in JSON-RPC batches. */
  private Map<String, TransactionReceipt> receipts(List<String> hashes) throws IOException {
    Map<String, TransactionReceipt> out = new HashMap<>();
    for (List<String> chunk : chunks(hashes)) {
      BatchRequest batch = web3j.newBatch();
      chunk.forEach(h -> batch.add(web3j.ethGetTransactionReceipt(h)));
      for (Response<?> r : batch.send().getResponses()) {
        check(r, "eth_getTransactionReceipt");
        ((EthGetTransactionReceipt) r)
            .getTransactionReceipt()
            .ifPresent(t -> out.put(t.getTransactionHash(), t));
      }
    }
    return out;
  }

  private static final int RPC_BATCH = 200;

  private static <T> List<List<T>> chunks(List<T> all) {
    List<List<T>> out = new ArrayList<>();
    for (int k = 0; k < all.size(); k += RPC_BATCH) {
      out.add(all.subList(k, Math.min(all.size(), k + RPC_BATCH)));
    }
    return out;
  }

  /**
   * Same nonce, fees up by bumpPercent; after the last allowed bump, a zero-value self-transfer.
   */
  private void replace(Intent i, Attempt last, Instant now) throws IOException {
    Fees market = fees.current();
    Fees bumped = last.fees().bumped(config.bumpPercent(), market);
    if (!bumped.within(config.maxFeePerGasCapWei())) {
      log.warn(
          "keeper chainId={} intent {} nonce {} stuck at the fee cap ({} wei); waiting",
          chainId,
          i.idempotencyKey(),
          i.nonce().getAsLong(),
          config.maxFeePerGasCapWei());
      store.replaceAt(i.id(), now.plus(config.replaceAfter()));
      return;
    }
    boolean noop = i.replacements() >= config.maxReplacements();
    Attempt next =
        noop
            ? sign(
                i.id(),
                "noop",
                i.nonce().getAsLong(),
                NOOP_GAS,
                from,
                TxStore.NOOP_DATA,
                bumped,
                now)
            : sign(
                i.id(),
                "replacement",
                i.nonce().getAsLong(),
                BigInteger.valueOf(i.gasLimit()),
                i.target(),
                i.callData(),
                bumped,
                now);
    store.addAttempt(next, now.plus(config.replaceAfter()));
    metrics.tx(noop ? "noop" : "replaced", i.action());
    log.warn(
        "keeper chainId={} intent {} nonce {} not mined in {}: {} with maxFee {} tip {} wei",
        chainId,
        i.idempotencyKey(),
        i.nonce().getAsLong(),
        config.replaceAfter(),
        noop ? "voided by a no-op" : "replaced",
        bumped.maxFeePerGas(),
        bumped.maxPriorityFeePerGas());
    broadcast(i, next);
  }

  // --- mined: confirmed, reorged, reverted ------------------------------------------------------

  private void confirmMined(long head) throws IOException {
    Instant now = clock.instant();
    List<Intent> minedIntents = store.inStatus(chainId, from, "mined", config.maxInFlight());
    Map<String, TransactionReceipt> receipts =
        receipts(minedIntents.stream().map(i -> i.minedTxHash().orElseThrow()).toList());
    Map<Long, List<Attempt>> attempts =
        store.attemptsOf(minedIntents.stream().map(Intent::id).toList());
    for (Intent i : minedIntents) {
      String hash = i.minedTxHash().orElseThrow();
      Optional<TransactionReceipt> r = Optional.ofNullable(receipts.get(hash));
      if (r.isEmpty() || !r.get().getBlockHash().equalsIgnoreCase(i.minedBlockHash().orElse(""))) {
        // Reorged out: the same signed transaction goes back to the node.
        store.unmined(i.id(), now.plus(config.replaceAfter()), now);
        metrics.tx("reorged", i.action());
        log.warn(
            "keeper chainId={} intent {} tx {} left block {} (reorg); broadcasting it again",
            chainId,
            i.idempotencyKey(),
            hash,
            i.minedBlock().getAsLong());
        Attempt minedAttempt =
            attempts.get(i.id()).stream()
                .filter(a -> a.txHash().equals(hash))
                .findFirst()
                .orElseThrow();
        broadcast(store.get(i.id()), minedAttempt);
        continue;
      }
      long block = r.get().getBlockNumber().longValueExact();
      if (head - block + 1 < config.confirmations()) {
        continue;
      }
      boolean voided =
          attempts.get(i.id()).stream()
              .anyMatch(a -> a.txHash().equals(hash) && a.kind().equals("noop"));
      if (voided && !i.action().equals("noop")) {
        store.close(
            i.id(), "failed", "voided by a no-op after " + i.replacements() + " replacements", now);
        metrics.tx("failed", i.action());
      } else if (r.get().isStatusOK()) {
        store.close(i.id(), "confirmed", "block " + block + " tx " + hash, now);
        metrics.tx("confirmed", i.action());
        i.submittedAt().ifPresent(t -> metrics.timeToConfirm(Duration.between(t, now)));
        log.info(
            "keeper chainId={} {} {} confirmed in block {} tx={}",
            chainId,
            i.action(),
            i.orderId() == null ? i.idempotencyKey() : "order " + i.orderId(),
            block,
            hash);
      } else {
        Optional<DecodedError> why =
            revertAt(i, DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        closeReverted(i, why, "mined reverted in block " + block + " tx " + hash, now);
      }
    }
  }

  private void closeReverted(Intent i, Optional<DecodedError> why, String where, Instant now) {
    String detail =
        why.map(DecodedError::toString).orElse("revert without a known custom error")
            + " ("
            + where
            + ")";
    if (why.isPresent() && alreadyDone.test(why.get())) {
      store.close(i.id(), "done_by_other", detail, now);
      metrics.tx("done_by_other", i.action());
      log.info(
          "keeper chainId={} {} of order {} already done by someone else: {}",
          chainId,
          i.action(),
          i.orderId(),
          detail);
    } else {
      store.close(i.id(), "reverted", detail, now);
      metrics.tx("reverted", i.action());
      log.warn(
          "keeper chainId={} {} {} reverts: {}", chainId, i.action(), i.idempotencyKey(), detail);
    }
  }

  // --- gaps
  // ---------------------------------------------------------------------------------------

  private void fillGaps(long minedNonce, long nextNonce) throws IOException {
    if (nextNonce <= minedNonce) {
      return;
    }
    Set<Long> used = new HashSet<>(store.noncesInUse(chainId, from, minedNonce, nextNonce));
    for (long n = minedNonce; n < nextNonce; n++) {
      if (used.contains(n)) {
        continue;
      }
      Instant now = clock.instant();
      Intent gap =
          store.enqueue(
              "gap:" + chainId + ":" + from + ":" + n,
              chainId,
              from,
              from,
              TxStore.NOOP_DATA,
              "noop",
              null,
              now);
      if (!gap.status().equals("queued")) {
        continue;
      }
      long nonce = n;
      Fees f = fees.current();
      Optional<Attempt> a =
          store.assignGapNonce(
              gap,
              holder,
              nonce,
              NOOP_GAS.longValueExact(),
              now.plus(config.replaceAfter()),
              () -> sign(gap.id(), "noop", nonce, NOOP_GAS, from, TxStore.NOOP_DATA, f, now));
      if (a.isPresent()) {
        metrics.nonceGap();
        log.warn(
            "keeper chainId={} signer={} nonce gap at {}: filling it with a no-op",
            chainId,
            from,
            nonce);
        broadcast(store.get(gap.id()), a.get());
      }
    }
  }

  // --- queued: simulate, sign, record, broadcast
  // ----------------------------------------------------

  private void sendQueued() throws IOException {
    int room = config.maxInFlight() - store.inFlight(chainId, from);
    if (room <= 0) {
      return;
    }
    // Gap fills are signed by fillGaps with their own nonce.
    List<Intent> queued =
        store.inStatus(chainId, from, "queued", room).stream()
            .filter(i -> !i.action().equals("noop"))
            .toList();
    if (queued.isEmpty()) {
      return;
    }
    List<Attempt> recorded = prepare(queued, fees.current());
    broadcastAll(queued, recorded);
  }

  /**
   * The first half of sending queued intents: simulate them with {@code eth_call} and estimate
   * their gas (JSON-RPC batches), closing the ones that would revert; then assign their nonces and
   * record their signed transactions in one database transaction. Broadcasting is the second half;
   * a crash between the two leaves recorded, unbroadcast transactions that the next round (of any
   * daemon) broadcasts byte for byte.
   *
   * @return the recorded attempts (fewer than the intents if some closed, or the lease was lost)
   */
  List<Attempt> prepare(List<Intent> intents, Fees offer) throws IOException {
    Instant now = clock.instant();
    List<Optional<DecodedError>> simulated = simulateAll(intents);
    List<Intent> sendable = new ArrayList<>();
    for (int k = 0; k < intents.size(); k++) {
      if (simulated.get(k).isPresent()) {
        closeReverted(
            intents.get(k), simulated.get(k), "simulated with eth_call, not broadcast", now);
      } else {
        sendable.add(intents.get(k));
      }
    }
    List<Object> estimates = estimateAll(sendable);
    List<Intent> signing = new ArrayList<>();
    List<Long> gasLimits = new ArrayList<>();
    Map<Long, Intent> byId = new HashMap<>();
    for (int k = 0; k < sendable.size(); k++) {
      Intent i = sendable.get(k);
      if (estimates.get(k) instanceof RevertedException e) {
        closeReverted(i, e.error, "gas estimate reverted, not broadcast", now);
      } else if (estimates.get(k) instanceof IOException e) {
        throw e;
      } else {
        policy.check(from, i.target(), BigInteger.ZERO, i.callData());
        signing.add(i);
        gasLimits.add(((BigInteger) estimates.get(k)).longValueExact());
        byId.put(i.id(), i);
      }
    }
    Map<Long, Long> gasById = new HashMap<>();
    for (int k = 0; k < signing.size(); k++) {
      gasById.put(signing.get(k).id(), gasLimits.get(k));
    }
    List<Attempt> recorded =
        store.assignNonces(
            signing,
            gasLimits,
            holder,
            now.plus(config.replaceAfter()),
            (intent, nonce) ->
                sign(
                    intent.id(),
                    "original",
                    nonce,
                    BigInteger.valueOf(gasById.get(intent.id())),
                    intent.target(),
                    intent.callData(),
                    offer,
                    now));
    recorded.forEach(a -> metrics.tx("submitted", byId.get(a.intentId()).action()));
    return recorded;
  }

  /**
   * {@code eth_call} of each intent at the latest block, in JSON-RPC batches: empty if it succeeds,
   * else the revert.
   */
  private List<Optional<DecodedError>> simulateAll(List<Intent> intents) throws IOException {
    List<Optional<DecodedError>> out = new ArrayList<>();
    for (List<Intent> chunk : chunks(intents)) {
      BatchRequest batch = web3j.newBatch();
      chunk.forEach(
          i ->
              batch.add(
                  web3j.ethCall(
                      Transaction.createEthCallTransaction(from, i.target(), i.callData()),
                      DefaultBlockParameterName.LATEST)));
      for (Response<?> resp : batch.send().getResponses()) {
        EthCall r = (EthCall) resp;
        if (!r.hasError() && !r.isReverted()) {
          out.add(Optional.empty());
        } else {
          out.add(
              Optional.of(
                  reverts
                      .decodeError(revertData(r))
                      .orElse(
                          new DecodedError(
                              "UnknownRevert",
                              List.of(
                                  r.hasError()
                                      ? String.valueOf(r.getError().getMessage())
                                      : r.getRevertReason())))));
        }
      }
    }
    return out;
  }

  /**
   * {@code eth_estimateGas} of each intent plus headroom, in JSON-RPC batches: a BigInteger, a
   * RevertedException or an IOException.
   */
  private List<Object> estimateAll(List<Intent> intents) throws IOException {
    List<Object> out = new ArrayList<>();
    for (List<Intent> chunk : chunks(intents)) {
      BatchRequest batch = web3j.newBatch();
      chunk.forEach(
          i ->
              batch.add(
                  web3j.ethEstimateGas(
                      Transaction.createEthCallTransaction(from, i.target(), i.callData()))));
      for (Response<?> resp : batch.send().getResponses()) {
        EthEstimateGas r = (EthEstimateGas) resp;
        if (r.hasError()) {
          Optional<DecodedError> e =
              r.getError().getData() == null
                  ? Optional.empty()
                  : reverts.decodeError(String.valueOf(r.getError().getData()).replace("\"", ""));
          out.add(
              e.isPresent()
                      || String.valueOf(r.getError().getMessage()).toLowerCase().contains("revert")
                  ? new RevertedException(e)
                  : new IOException("eth_estimateGas: " + r.getError().getMessage()));
        } else {
          out.add(
              r.getAmountUsed()
                  .multiply(BigInteger.valueOf(100L + config.gasHeadroomPercent()))
                  .divide(BigInteger.valueOf(100)));
        }
      }
    }
    return out;
  }

  /** Broadcasts recorded first attempts in JSON-RPC batches and acts on each answer. */
  private void broadcastAll(List<Intent> intents, List<Attempt> attempts) throws IOException {
    Map<Long, Intent> byId = new HashMap<>();
    intents.forEach(i -> byId.put(i.id(), i));
    for (List<Attempt> chunk : chunks(attempts)) {
      BatchRequest batch = web3j.newBatch();
      chunk.forEach(a -> batch.add(web3j.ethSendRawTransaction(a.rawTx())));
      List<? extends Response<?>> answers = batch.send().getResponses();
      Map<String, String> texts = new LinkedHashMap<>();
      List<Runnable> followUps = new ArrayList<>();
      for (int k = 0; k < chunk.size(); k++) {
        Attempt a = chunk.get(k);
        EthSendTransaction r = (EthSendTransaction) answers.get(k);
        NodeAnswer answer =
            r.hasError() ? NodeAnswer.classify(r.getError().getMessage()) : NodeAnswer.ACCEPTED;
        texts.put(
            a.txHash(), r.hasError() ? answer + ": " + r.getError().getMessage() : "accepted");
        if (answer == NodeAnswer.UNDERPRICED || answer == NodeAnswer.GIVE_UP) {
          followUps.add(
              () -> {
                try {
                  react(byId.get(a.intentId()), a, answer, texts.get(a.txHash()));
                } catch (IOException e) {
                  log.warn(
                      "keeper chainId={} follow-up of {} failed: {}",
                      chainId,
                      a.txHash(),
                      e.toString());
                }
              });
        }
      }
      store.broadcastAll(texts, clock.instant());
      followUps.forEach(Runnable::run);
    }
  }

  private Optional<DecodedError> revertAt(Intent i, DefaultBlockParameter block)
      throws IOException {
    EthCall r =
        web3j
            .ethCall(Transaction.createEthCallTransaction(from, i.target(), i.callData()), block)
            .send();
    if (!r.hasError() && !r.isReverted()) {
      return Optional.empty();
    }
    return reverts.decodeError(revertData(r));
  }

  private static String revertData(EthCall r) {
    if (r.hasError() && r.getError().getData() != null) {
      String d = String.valueOf(r.getError().getData()).replace("\"", "");
      return d.startsWith("0x") ? d : null;
    }
    return r.getValue();
  }

  private static final class RevertedException extends IOException {
    final Optional<DecodedError> error;

    RevertedException(Optional<DecodedError> error) {
      super("reverted: " + error);
      this.error = error;
    }
  }

  private Attempt sign(
      long intentId,
      String kind,
      long nonce,
      BigInteger gasLimit,
      String to,
      String data,
      Fees f,
      Instant now) {
    policy.check(from, to, BigInteger.ZERO, data);
    RawTransaction tx =
        RawTransaction.createTransaction(
            chainId,
            BigInteger.valueOf(nonce),
            gasLimit,
            to,
            BigInteger.ZERO,
            data,
            f.maxPriorityFeePerGas(),
            f.maxFeePerGas());
    byte[] signed = signer.sign(tx, chainId);
    return new Attempt(
        Numeric.toHexString(Hash.sha3(signed)),
        intentId,
        kind,
        Numeric.toHexString(signed),
        f,
        now,
        Optional.empty());
  }

  /** Broadcasts one recorded attempt and acts on the node's answer. */
  private void broadcast(Intent i, Attempt a) throws IOException {
    Instant now = clock.instant();
    EthSendTransaction r;
    try {
      r = web3j.ethSendRawTransaction(a.rawTx()).send();
    } catch (IOException e) {
      // The node may or may not have it: the same bytes are broadcast again after rebroadcastAfter.
      store.broadcast(a.txHash(), "no answer: " + e.getMessage(), now);
      throw e;
    }
    NodeAnswer answer =
        r.hasError() ? NodeAnswer.classify(r.getError().getMessage()) : NodeAnswer.ACCEPTED;
    String text = r.hasError() ? answer + ": " + r.getError().getMessage() : "accepted";
    store.broadcast(a.txHash(), text, now);
    react(i, a, answer, text);
  }

  /** Acts on the node's answer to one broadcast. */
  private void react(Intent i, Attempt a, NodeAnswer answer, String text) throws IOException {
    Instant now = clock.instant();
    switch (answer) {
      case ACCEPTED, ALREADY_KNOWN, NONCE_USED, RETRY -> {
        // NONCE_USED: the receipt check of the next round tells whether ours or a foreign one was
        // mined.
        if (answer == NodeAnswer.RETRY) {
          log.warn(
              "keeper chainId={} {} tx {} refused for now: {}",
              chainId,
              i.idempotencyKey(),
              a.txHash(),
              text);
        }
      }
      case UNDERPRICED ->
          store.replaceAt(i.id(), now); // replace at the next round, with a further bump
      case GIVE_UP -> {
        Intent current = i.nonce().isPresent() ? i : store.get(i.id());
        log.error(
            "keeper chainId={} {} tx {} can never be accepted ({}); voiding nonce {} with a no-op",
            chainId,
            i.idempotencyKey(),
            a.txHash(),
            text,
            current.nonce().orElse(-1));
        if (!a.kind().equals("noop")) {
          Fees bumped = a.fees().bumped(config.bumpPercent(), fees.current());
          Attempt noop =
              sign(
                  i.id(),
                  "noop",
                  current.nonce().getAsLong(),
                  NOOP_GAS,
                  from,
                  TxStore.NOOP_DATA,
                  fees.capped(bumped),
                  now);
          store.addAttempt(noop, now.plus(config.replaceAfter()));
          broadcast(current, noop);
        }
      }
    }
  }

  private long nonce(DefaultBlockParameterName at) throws IOException {
    var r = web3j.ethGetTransactionCount(from, at).send();
    check(r, "eth_getTransactionCount");
    return r.getTransactionCount().longValueExact();
  }

  private void balance() throws IOException {
    var r = web3j.ethGetBalance(from, DefaultBlockParameterName.LATEST).send();
    check(r, "eth_getBalance");
    metrics.signerBalance(chainId, from, r.getBalance(), policy.lowBalanceWei());
  }

  private static void check(Response<?> r, String what) throws IOException {
    if (r.hasError()) {
      throw new IOException(what + ": " + r.getError().getMessage());
    }
  }
}
