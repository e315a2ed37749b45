package dev.lockstep.keeper.tx;

import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gap filling: a nonce between the chain's mined count and the lease's next nonce that no intent
 * holds (a daemon died between taking it and recording its transaction) would hold up every later
 * nonce, so it gets a zero-value self-transfer of its own ({@code gap:<chain>:<signer>:<nonce>}).
 */
final class GapFiller {
  private static final Logger log = LoggerFactory.getLogger(GapFiller.class);

  private final EngineScope scope;
  private final Broadcaster broadcaster;

  GapFiller(EngineScope scope, Broadcaster broadcaster) {
    this.scope = scope;
    this.broadcaster = broadcaster;
  }

  /** Fills every unheld nonce in {@code [minedNonce, nextNonce)}. */
  void fill(long minedNonce, long nextNonce) throws IOException {
    if (nextNonce <= minedNonce) {
      return;
    }
    long chainId = scope.chainId();
    String from = scope.from();
    IntentStore intents = scope.store().intents();
    Set<Long> used = new HashSet<>(intents.noncesInUse(chainId, from, minedNonce, nextNonce));
    for (long n = minedNonce; n < nextNonce; n++) {
      if (used.contains(n)) {
        continue;
      }
      Instant now = scope.clock().instant();
      Intent gap =
          intents.enqueue(
              "gap:" + chainId + ":" + from + ":" + n,
              chainId,
              from,
              from,
              TxStore.NOOP_DATA,
              TxAction.NOOP,
              OptionalLong.empty(),
              1,
              now);
      if (gap.status() != IntentStatus.QUEUED) {
        continue;
      }
      long nonce = n;
      Fees f = scope.fees().current();
      Optional<Attempt> a =
          scope
              .store()
              .leases()
              .assignGapNonce(
                  gap,
                  scope.holder(),
                  nonce,
                  Broadcaster.NOOP_GAS.longValueExact(),
                  now.plus(scope.config().replaceAfter()),
                  () -> broadcaster.signNoop(gap.id(), nonce, f, now));
      if (a.isPresent()) {
        scope.metrics().nonceGap();
        log.warn(
            "keeper chainId={} signer={} nonce gap at {}: filling it with a no-op",
            chainId,
            from,
            nonce);
        broadcaster.broadcast(intents.get(gap.id()), a.get());
      }
    }
  }
}
