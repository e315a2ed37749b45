package dev.lockstep.keeper.tx;

import dev.lockstep.keeper.KeeperException;
import dev.lockstep.keeper.KeeperMetrics;
import dev.lockstep.keeper.tx.RevertDecoder.DecodedError;
import dev.lockstep.ports.SignerStatus;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Predicate;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;

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
 * <p>The stages live in their own classes: {@link Submission}, {@link Tracking} (tracking and
 * confirmation), {@link Replacement}, {@link GapFiller}, over {@link Broadcaster} and {@link
 * ChainCalls}; the durable state is {@link TxStore}. {@link #pump} does one round of all this (an
 * idle engine, with nothing open or to watch, does one database lookup and no RPC, and a full round
 * every {@link #IDLE_REFRESH}); it is called by the keeper's Quartz job and is safe to call from
 * several daemons at once (only the lease holder acts). Not reentrant.
 */
public final class TxEngine {
  private final EngineScope scope;
  private final ChainCalls calls;
  private final Submission submission;
  private final Tracking tracking;
  private final GapFiller gaps;
  private final SignerWatchdog watchdog;

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
    this.scope =
        new EngineScope(
            chainId,
            web3j,
            signer,
            signer.address(),
            policy,
            store,
            config,
            new FeeOracle(web3j, config),
            metrics,
            reverts,
            alreadyDone,
            holder,
            clock);
    this.calls = new ChainCalls(scope);
    Broadcaster broadcaster = new Broadcaster(scope);
    Outcomes outcomes = new Outcomes(scope);
    this.submission = new Submission(scope, calls, broadcaster, outcomes);
    this.tracking =
        new Tracking(scope, calls, broadcaster, new Replacement(scope, broadcaster), outcomes);
    this.gaps = new GapFiller(scope, broadcaster);
    this.watchdog = new SignerWatchdog(chainId, signer.address(), config.stuckAfter());
    metrics.stuckSigner(chainId, signer.address(), () -> watchdog.status().stuck());
    String from = scope.from();
    metrics.engine(
        chainId,
        from,
        () ->
            store
                .intents()
                .oldestOpen(chainId, from)
                .map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0)
                .orElse(0.0));
  }

  /** The chain this engine sends on. */
  public long chainId() {
    return scope.chainId();
  }

  /** The signer's state as {@code /health} reports it (stuck or not). */
  public SignerStatus status() {
    return watchdog.status();
  }

  /** The signer's address. */
  public String signer() {
    return scope.from();
  }

  /**
   * Enqueues a call to be mined exactly once. Idempotent: an intent with {@code key} already
   * enqueued is returned unchanged, whatever its state.
   *
   * @throws SignerPolicy.DisallowedException if the policy forbids the call (nothing is enqueued)
   */
  public Intent submit(
      String key, String target, String callData, TxAction action, OptionalLong orderId) {
    scope.policy().check(scope.from(), target, BigInteger.ZERO, callData);
    return scope
        .store()
        .intents()
        .enqueue(
            key,
            scope.chainId(),
            scope.from(),
            target,
            callData,
            action,
            orderId,
            1,
            scope.clock().instant());
  }

  /** The intent enqueued with {@code key}, as stored now. */
  public java.util.Optional<Intent> intent(String key) {
    return scope.store().intents().byKey(key);
  }

  /**
   * Enqueues many calls at once (each as {@link #submit}, keys already present untouched).
   *
   * @throws SignerPolicy.DisallowedException if the policy forbids any of them (nothing is
   *     enqueued)
   */
  public void submitAll(List<NewIntent> all) {
    all.forEach(i -> scope.policy().check(scope.from(), i.target(), BigInteger.ZERO, i.callData()));
    scope.store().intents().enqueueAll(scope.chainId(), scope.from(), all, scope.clock().instant());
  }

  /**
   * One round: lease, receipts and confirmations, replacements, gap fills, new transactions.
   *
   * @throws KeeperException retryable, when the node fails or answers with an error (the next round
   *     resumes from the stored intents)
   */
  public void pump() {
    try {
      round();
    } catch (IOException e) {
      throw new KeeperException(
          "keeper chainId=" + scope.chainId() + " engine round: " + e.getMessage(), true, e);
    }
  }

  /**
   * How often an idle engine (nothing open, nothing mined above the finalized block) still runs a
   * full round: to refresh the signer's balance and lease and to fill a gap a crashed assignment
   * left. In between, an idle round is one database lookup and no RPC.
   */
  static final Duration IDLE_REFRESH = Duration.ofSeconds(10);

  /** The head seen by the latest full round; -1 before the first. */
  private long lastHead = -1;

  private java.time.Instant lastFullRound = java.time.Instant.EPOCH;

  private void round() throws IOException {
    java.time.Instant now = scope.clock().instant();
    if (lastHead >= 0
        && now.isBefore(lastFullRound.plus(IDLE_REFRESH))
        && !scope
            .store()
            .intents()
            .hasWork(scope.chainId(), scope.from(), lastHead - scope.config().finalityDepth())) {
      return;
    }
    lastFullRound = now;
    long mined = calls.nonce(DefaultBlockParameterName.LATEST);
    long pending = calls.nonce(DefaultBlockParameterName.PENDING);
    OptionalLong lease =
        scope
            .store()
            .leases()
            .hold(
                scope.chainId(), scope.from(), scope.holder(), scope.config().leaseTtl(), pending);
    if (lease.isEmpty()) {
      return; // another daemon holds this signer's nonces
    }
    long head = calls.head();
    lastHead = head;
    watchdog.observe(
        mined,
        scope.store().intents().inFlight(scope.chainId(), scope.from()),
        scope.clock().instant());
    scope
        .metrics()
        .signerBalance(
            scope.chainId(), scope.from(), calls.balanceWei(), scope.policy().lowBalanceWei());
    tracking.watchUntilFinal(head);
    tracking.trackSubmitted(mined);
    tracking.confirmMined(head);
    gaps.fill(mined, lease.getAsLong());
    submission.sendQueued();
  }

  /**
   * The first half of sending queued intents, for tests that crash between recording and
   * broadcasting: see {@link Submission#prepare}.
   */
  List<Attempt> prepare(List<Intent> intents, Fees offer) throws IOException {
    return submission.prepare(intents, offer);
  }

  /** Gives up the nonce lease (clean shutdown), so another daemon takes over at once. */
  public void release() {
    scope.store().leases().release(scope.chainId(), scope.from(), scope.holder());
  }
}
