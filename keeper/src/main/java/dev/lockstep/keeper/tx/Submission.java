package dev.lockstep.keeper.tx;

import dev.lockstep.keeper.KeeperMetrics.TxEvent;
import dev.lockstep.keeper.tx.RevertDecoder.DecodedError;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Submission of queued intents: simulate with {@code eth_call} and estimate gas (closing those that
 * would revert, never broadcasting them), then take nonces from the lease and record the signed
 * transactions in one database transaction, then broadcast. A crash between recording and
 * broadcasting leaves recorded, unbroadcast transactions that the next round (of any daemon)
 * broadcasts byte for byte.
 */
final class Submission {
  private final EngineScope scope;
  private final ChainCalls calls;
  private final Broadcaster broadcaster;
  private final Outcomes outcomes;

  Submission(EngineScope scope, ChainCalls calls, Broadcaster broadcaster, Outcomes outcomes) {
    this.scope = scope;
    this.calls = calls;
    this.broadcaster = broadcaster;
    this.outcomes = outcomes;
  }

  /** Sends as many queued intents as {@code max_in_flight} leaves room for. */
  void sendQueued() throws IOException {
    IntentStore intents = scope.store().intents();
    int room = scope.config().maxInFlight() - intents.inFlight(scope.chainId(), scope.from());
    if (room <= 0) {
      return;
    }
    // Gap fills are signed by the gap filler with their own nonce.
    List<Intent> queued =
        intents.inStatus(scope.chainId(), scope.from(), IntentStatus.QUEUED, room).stream()
            .filter(i -> i.action() != TxAction.NOOP)
            .toList();
    if (queued.isEmpty()) {
      return;
    }
    List<Attempt> recorded = prepare(queued, scope.fees().current());
    broadcaster.broadcastAll(queued, recorded);
  }

  /**
   * The first half of sending: simulate and estimate (JSON-RPC batches), close the ones that would
   * revert, then assign nonces and record the signed transactions in one database transaction.
   *
   * @return the recorded attempts (fewer than the intents if some closed, or the lease was lost)
   */
  List<Attempt> prepare(List<Intent> intents, Fees offer) throws IOException {
    Instant now = scope.clock().instant();
    List<Optional<DecodedError>> simulated = calls.simulateAll(intents);
    List<Intent> sendable = new ArrayList<>();
    for (int k = 0; k < intents.size(); k++) {
      if (simulated.get(k).isPresent()) {
        outcomes.reverted(
            intents.get(k), simulated.get(k), "simulated with eth_call, not broadcast", now);
      } else {
        sendable.add(intents.get(k));
      }
    }
    List<Object> estimates = calls.estimateAll(sendable);
    List<Intent> signing = new ArrayList<>();
    List<Long> gasLimits = new ArrayList<>();
    Map<Long, Long> gasById = new HashMap<>();
    Map<Long, Intent> byId = new HashMap<>();
    for (int k = 0; k < sendable.size(); k++) {
      Intent i = sendable.get(k);
      if (estimates.get(k) instanceof ChainCalls.RevertedException e) {
        outcomes.reverted(i, e.error, "gas estimate reverted, not broadcast", now);
      } else if (estimates.get(k) instanceof IOException e) {
        throw e;
      } else {
        scope.policy().check(scope.from(), i.target(), BigInteger.ZERO, i.callData());
        long gas = ((BigInteger) estimates.get(k)).longValueExact();
        signing.add(i);
        gasLimits.add(gas);
        gasById.put(i.id(), gas);
        byId.put(i.id(), i);
      }
    }
    List<Attempt> recorded =
        scope
            .store()
            .leases()
            .assignNonces(
                signing,
                gasLimits,
                scope.holder(),
                now.plus(scope.config().replaceAfter()),
                (intent, nonce) ->
                    broadcaster.sign(
                        intent.id(),
                        AttemptKind.ORIGINAL,
                        nonce,
                        BigInteger.valueOf(gasById.get(intent.id())),
                        intent.target(),
                        intent.callData(),
                        offer,
                        now));
    recorded.forEach(a -> scope.metrics().tx(TxEvent.SUBMITTED, byId.get(a.intentId()).action()));
    return recorded;
  }
}
