package dev.lockstep.keeper.tx;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.utils.Numeric;

/**
 * Signs attempts (after the signer policy allows them) and broadcasts recorded ones, noting every
 * node answer and acting on it ({@link NodeAnswer}): an underpriced one is replaced at the next
 * round, one the node can never accept has its nonce voided by a no-op.
 */
final class Broadcaster {
  private static final Logger log = LoggerFactory.getLogger(Broadcaster.class);

  /** Gas of a zero-value self-transfer. */
  static final BigInteger NOOP_GAS = BigInteger.valueOf(21_000);

  private final EngineScope scope;

  Broadcaster(EngineScope scope) {
    this.scope = scope;
  }

  /** An EIP-1559 transaction signed for the intent; nothing is recorded or sent. */
  Attempt sign(
      long intentId,
      AttemptKind kind,
      long nonce,
      BigInteger gasLimit,
      String to,
      String data,
      Fees f,
      Instant now) {
    scope.policy().check(scope.from(), to, BigInteger.ZERO, data);
    RawTransaction tx =
        RawTransaction.createTransaction(
            scope.chainId(),
            BigInteger.valueOf(nonce),
            gasLimit,
            to,
            BigInteger.ZERO,
            data,
            f.maxPriorityFeePerGas(),
            f.maxFeePerGas());
    byte[] signed = scope.signer().sign(tx, scope.chainId());
    return new Attempt(
        Numeric.toHexString(Hash.sha3(signed)),
        intentId,
        kind,
        Numeric.toHexString(signed),
        f,
        now,
        Optional.empty());
  }

  /** A zero-value self-transfer at {@code nonce} that voids it. */
  Attempt signNoop(long intentId, long nonce, Fees f, Instant now) {
    return sign(
        intentId, AttemptKind.NOOP, nonce, NOOP_GAS, scope.from(), TxStore.NOOP_DATA, f, now);
  }

  /** Broadcasts one recorded attempt and acts on the node's answer. */
  void broadcast(Intent i, Attempt a) throws IOException {
    Instant now = scope.clock().instant();
    EthSendTransaction r;
    try {
      r = scope.web3j().ethSendRawTransaction(a.rawTx()).send();
    } catch (IOException e) {
      // The node may or may not have it: the same bytes are broadcast again after rebroadcastAfter.
      scope.store().attempts().broadcast(a.txHash(), "no answer: " + e.getMessage(), now);
      throw e;
    }
    NodeAnswer answer =
        r.hasError() ? NodeAnswer.classify(r.getError().getMessage()) : NodeAnswer.ACCEPTED;
    String text = r.hasError() ? answer + ": " + r.getError().getMessage() : "accepted";
    scope.store().attempts().broadcast(a.txHash(), text, now);
    react(i, a, answer, text);
  }

  /** Broadcasts recorded first attempts in JSON-RPC batches and acts on each answer. */
  void broadcastAll(List<Intent> intents, List<Attempt> attempts) throws IOException {
    Map<Long, Intent> byId = new HashMap<>();
    intents.forEach(i -> byId.put(i.id(), i));
    for (List<Attempt> chunk : ChainCalls.chunks(attempts)) {
      BatchRequest batch = scope.web3j().newBatch();
      chunk.forEach(a -> batch.add(scope.web3j().ethSendRawTransaction(a.rawTx())));
      List<? extends Response<?>> answers = batch.send().getResponses();
      Map<String, String> texts = new LinkedHashMap<>();
      List<Runnable> followUps = new ArrayList<>();
      for (int k = 0; k < chunk.size(); k++) {
        Attempt a = chunk.get(k);
        EthSendTransaction r = (EthSendTransaction) answers.get(k);
        NodeAnswer answer =
            r.hasError() ? NodeAnswer.classify(r.getError().getMessage()) : NodeAnswer.ACCEPTED;
        String text = r.hasError() ? answer + ": " + r.getError().getMessage() : "accepted";
        texts.put(a.txHash(), text);
        if (answer == NodeAnswer.UNDERPRICED || answer == NodeAnswer.GIVE_UP) {
          followUps.add(() -> followUp(byId.get(a.intentId()), a, answer, text));
        }
      }
      scope.store().attempts().broadcastAll(texts, scope.clock().instant());
      followUps.forEach(Runnable::run);
    }
  }

  private void followUp(Intent i, Attempt a, NodeAnswer answer, String text) {
    try {
      react(i, a, answer, text);
    } catch (IOException e) {
      log.warn(
          "keeper chainId={} follow-up of {} failed: {}",
          scope.chainId(),
          a.txHash(),
          e.toString());
    }
  }

  /** Acts on the node's answer to one broadcast. */
  private void react(Intent i, Attempt a, NodeAnswer answer, String text) throws IOException {
    Instant now = scope.clock().instant();
    switch (answer) {
      case ACCEPTED, ALREADY_KNOWN, NONCE_USED -> {
        // NONCE_USED: the receipt check of the next round tells whether ours or a foreign one was
        // mined.
      }
      case RETRY ->
          log.warn(
              "keeper chainId={} {} tx {} refused for now: {}",
              scope.chainId(),
              i.idempotencyKey(),
              a.txHash(),
              text);
      case UNDERPRICED ->
          // Replaced at the next round, with a further bump.
          scope.store().intents().replaceAt(i.id(), now);
      case GIVE_UP -> voidNonce(i, a, text, now);
    }
  }

  private void voidNonce(Intent i, Attempt a, String text, Instant now) throws IOException {
    Intent current = i.nonce().isPresent() ? i : scope.store().intents().get(i.id());
    log.error(
        "keeper chainId={} {} tx {} can never be accepted ({}); voiding nonce {} with a no-op",
        scope.chainId(),
        i.idempotencyKey(),
        a.txHash(),
        text,
        current.nonce().orElse(-1));
    if (a.kind() == AttemptKind.NOOP) {
      return;
    }
    Fees bumped = a.fees().bumped(scope.config().bumpPercent(), scope.fees().current());
    Attempt noop = signNoop(i.id(), current.nonce().getAsLong(), scope.fees().capped(bumped), now);
    scope.store().attempts().addReplacement(noop, now.plus(scope.config().replaceAfter()));
    broadcast(current, noop);
  }
}
