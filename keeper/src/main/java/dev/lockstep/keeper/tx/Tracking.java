package dev.lockstep.keeper.tx;

import dev.lockstep.keeper.KeeperMetrics.TxEvent;
import dev.lockstep.keeper.tx.RevertDecoder.DecodedError;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Tracking and confirmation: a submitted intent whose nonce the chain has used is {@code mined}
 * once one of its transactions has a receipt; a stuck one is handed to {@link Replacement}; one
 * whose broadcast got no answer is broadcast again byte for byte. A mined intent is confirmed after
 * {@code confirmations} blocks, or goes back to {@code submitted} (and its signed bytes to the
 * node) if its receipt left the block it was in.
 */
final class Tracking {
  private static final Logger log = LoggerFactory.getLogger(Tracking.class);

  private final EngineScope scope;
  private final ChainCalls calls;
  private final Broadcaster broadcaster;
  private final Replacement replacement;
  private final Outcomes outcomes;

  /**
   * Intents whose nonce the chain has used while none of their transactions had a receipt yet,
   * since when.
   */
  private final Map<Long, Instant> usedWithoutReceipt = new ConcurrentHashMap<>();

  Tracking(
      EngineScope scope,
      ChainCalls calls,
      Broadcaster broadcaster,
      Replacement replacement,
      Outcomes outcomes) {
    this.scope = scope;
    this.calls = calls;
    this.broadcaster = broadcaster;
    this.replacement = replacement;
    this.outcomes = outcomes;
  }

  /** Submitted intents: mined? stuck? lost? {@code minedNonce} is the chain's mined count. */
  void trackSubmitted(long minedNonce) throws IOException {
    Instant now = scope.clock().instant();
    List<Intent> submitted =
        scope
            .store()
            .intents()
            .inStatus(
                scope.chainId(),
                scope.from(),
                IntentStatus.SUBMITTED,
                scope.config().maxInFlight());
    Map<Long, List<Attempt>> attempts =
        scope.store().attempts().attemptsOf(submitted.stream().map(Intent::id).toList());
    // Receipts of every attempt of the intents whose nonce the chain has used, in one batch.
    List<String> hashes = new ArrayList<>();
    for (Intent i : submitted) {
      if (i.nonce().orElseThrow() < minedNonce) {
        attempts.get(i.id()).forEach(a -> hashes.add(a.txHash()));
      }
    }
    Map<String, TransactionReceipt> receipts = calls.receipts(hashes);
    for (Intent i : submitted) {
      List<Attempt> mine = attempts.get(i.id());
      if (i.nonce().orElseThrow() < minedNonce) {
        nonceUsed(i, mine, receipts, now);
        continue;
      }
      Attempt last = mine.getLast();
      if (i.replaceAfter().isPresent()
          && now.isAfter(i.replaceAfter().get())
          && last.kind() != AttemptKind.NOOP) {
        replacement.replace(i, last, now);
      } else if (last.broadcastAt().isEmpty()
          || Duration.between(last.broadcastAt().get(), now)
                  .compareTo(scope.config().rebroadcastAfter())
              > 0) {
        broadcaster.broadcast(i, last);
      }
    }
  }

  private void nonceUsed(
      Intent i, List<Attempt> mine, Map<String, TransactionReceipt> receipts, Instant now) {
    Optional<TransactionReceipt> r =
        mine.stream().map(a -> receipts.get(a.txHash())).filter(Objects::nonNull).findFirst();
    if (r.isPresent()) {
      usedWithoutReceipt.remove(i.id());
      scope
          .store()
          .intents()
          .mined(
              i.id(),
              r.get().getTransactionHash(),
              r.get().getBlockNumber().longValueExact(),
              r.get().getBlockHash(),
              now);
    } else if (Duration.between(usedWithoutReceipt.computeIfAbsent(i.id(), k -> now), now)
            .compareTo(scope.config().rebroadcastAfter())
        > 0) {
      // The nonce is used but, for a while now, by none of our transactions (not a receipt that a
      // load-balanced node has not indexed yet): someone signed outside the engine.
      usedWithoutReceipt.remove(i.id());
      long nonce = i.nonce().getAsLong();
      outcomes.failed(i, "nonce " + nonce + " consumed by a transaction outside the engine", now);
      log.error(
          "keeper chainId={} signer={} nonce {} of intent {} consumed by a foreign transaction",
          scope.chainId(),
          scope.from(),
          nonce,
          i.idempotencyKey());
    }
  }

  /** Mined intents: confirmed, reorged out, or reverted. {@code head} is the latest block. */
  void confirmMined(long head) throws IOException {
    Instant now = scope.clock().instant();
    List<Intent> minedIntents =
        scope
            .store()
            .intents()
            .inStatus(
                scope.chainId(), scope.from(), IntentStatus.MINED, scope.config().maxInFlight());
    Map<String, TransactionReceipt> receipts =
        calls.receipts(minedIntents.stream().map(i -> i.minedTxHash().orElseThrow()).toList());
    Map<Long, List<Attempt>> attempts =
        scope.store().attempts().attemptsOf(minedIntents.stream().map(Intent::id).toList());
    for (Intent i : minedIntents) {
      String hash = i.minedTxHash().orElseThrow();
      Optional<TransactionReceipt> r = Optional.ofNullable(receipts.get(hash));
      Attempt minedAttempt =
          attempts.get(i.id()).stream()
              .filter(a -> a.txHash().equals(hash))
              .findFirst()
              .orElseThrow();
      if (r.isEmpty() || !r.get().getBlockHash().equalsIgnoreCase(i.minedBlockHash().orElse(""))) {
        reorgedOut(i, minedAttempt, now);
        continue;
      }
      long block = r.get().getBlockNumber().longValueExact();
      if (head - block + 1 < scope.config().confirmations()) {
        continue;
      }
      if (minedAttempt.kind() == AttemptKind.NOOP && i.action() != TxAction.NOOP) {
        outcomes.failed(i, "voided by a no-op after " + i.replacements() + " replacements", now);
      } else if (r.get().isStatusOK()) {
        outcomes.confirmed(i, block, hash, now);
      } else {
        Optional<DecodedError> why =
            calls.revertAt(i, DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
        outcomes.reverted(i, why, "mined reverted in block " + block + " tx " + hash, now);
      }
    }
  }

  /**
   * Closed intents whose block is not final yet ({@code finality_depth}): if a reorg deeper than
   * the confirmations removed that block, the intent is open again ({@code submitted}) and its
   * mined transaction's bytes go back to the node, in nonce order, so the signer's later nonces can
   * be mined again too. One header batch per round (the distinct blocks), receipts only for the
   * blocks whose hash changed; nothing but the head's hash while the head is the block it was at
   * the last complete check (any reorg changes the head's hash, so nothing can have moved).
   */
  void watchUntilFinal(long head) throws IOException {
    String headHash = calls.blockHashes(List.of(head)).getOrDefault(head, "");
    if (!headHash.isEmpty() && headHash.equalsIgnoreCase(checkedAtHead)) {
      return;
    }
    watchAll(head);
    checkedAtHead = headHash;
  }

  /** The head's hash at the last complete {@link #watchUntilFinal} check. */
  private String checkedAtHead = "";

  private void watchAll(long head) throws IOException {
    Instant now = scope.clock().instant();
    List<Intent> watched =
        scope
            .store()
            .intents()
            .notYetFinal(
                scope.chainId(),
                scope.from(),
                head - scope.config().finalityDepth(),
                scope.config().maxInFlight());
    if (watched.isEmpty()) {
      return;
    }
    Map<Long, String> canonical =
        calls.blockHashes(
            watched.stream().map(i -> i.minedBlock().getAsLong()).distinct().toList());
    List<Intent> moved =
        watched.stream()
            .filter(
                i ->
                    !i.minedBlockHash()
                        .orElse("")
                        .equalsIgnoreCase(canonical.getOrDefault(i.minedBlock().getAsLong(), "")))
            .toList();
    if (moved.isEmpty()) {
      return;
    }
    Map<String, TransactionReceipt> receipts =
        calls.receipts(moved.stream().map(i -> i.minedTxHash().orElseThrow()).toList());
    Map<Long, List<Attempt>> attempts =
        scope.store().attempts().attemptsOf(moved.stream().map(Intent::id).toList());
    for (Intent i : moved) {
      String hash = i.minedTxHash().orElseThrow();
      TransactionReceipt r = receipts.get(hash);
      if (r != null) {
        // Mined again (the same bytes) in the new chain: note its new block, still watched.
        scope
            .store()
            .intents()
            .remined(i.id(), r.getBlockNumber().longValueExact(), r.getBlockHash(), now);
        continue;
      }
      if (!scope.store().intents().reopen(i.id(), now.plus(scope.config().replaceAfter()), now)) {
        continue;
      }
      scope.metrics().tx(TxEvent.REORGED, i.action());
      log.warn(
          "keeper chainId={} intent {} ({}) nonce {} was {} in block {} {}; a reorg deeper than {}"
              + " confirmations removed it: open again, broadcasting tx {} again",
          scope.chainId(),
          i.idempotencyKey(),
          i.action().dbValue(),
          i.nonce().orElse(-1),
          i.status().dbValue(),
          i.minedBlock().getAsLong(),
          i.minedBlockHash().orElse(""),
          scope.config().confirmations(),
          hash);
      Attempt mined =
          attempts.get(i.id()).stream()
              .filter(a -> a.txHash().equals(hash))
              .findFirst()
              .orElseThrow();
      broadcaster.broadcast(scope.store().intents().get(i.id()), mined);
    }
  }

  /** The same signed transaction goes back to the node. */
  private void reorgedOut(Intent i, Attempt minedAttempt, Instant now) throws IOException {
    scope.store().intents().unmined(i.id(), now.plus(scope.config().replaceAfter()), now);
    scope.metrics().tx(TxEvent.REORGED, i.action());
    log.warn(
        "keeper chainId={} intent {} tx {} left block {} (reorg); broadcasting it again",
        scope.chainId(),
        i.idempotencyKey(),
        minedAttempt.txHash(),
        i.minedBlock().getAsLong());
    broadcaster.broadcast(scope.store().intents().get(i.id()), minedAttempt);
  }
}
