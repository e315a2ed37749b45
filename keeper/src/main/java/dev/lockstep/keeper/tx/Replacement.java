package dev.lockstep.keeper.tx;

import dev.lockstep.keeper.KeeperMetrics.TxEvent;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replacement of a stuck transaction: the same nonce with both EIP-1559 fees raised by {@code
 * bump_percent} (at least the node's 10%), capped by {@code max_fee_per_gas_cap_wei}; after {@code
 * max_replacements} bumps the nonce gets a zero-value self-transfer instead, so the signer's queue
 * moves on and the intent closes {@code failed} once that is mined.
 */
final class Replacement {
  private static final Logger log = LoggerFactory.getLogger(Replacement.class);

  private final EngineScope scope;
  private final Broadcaster broadcaster;

  Replacement(EngineScope scope, Broadcaster broadcaster) {
    this.scope = scope;
    this.broadcaster = broadcaster;
  }

  /** Replaces {@code last}, the newest attempt of submitted intent {@code i}, and broadcasts it. */
  void replace(Intent i, Attempt last, Instant now) throws IOException {
    TxEngineConfig config = scope.config();
    long nonce = i.nonce().getAsLong();
    Fees bumped = last.fees().bumped(config.bumpPercent(), scope.fees().current());
    if (!bumped.within(config.maxFeePerGasCapWei())) {
      log.warn(
          "keeper chainId={} intent {} nonce {} stuck at the fee cap ({} wei); waiting",
          scope.chainId(),
          i.idempotencyKey(),
          nonce,
          config.maxFeePerGasCapWei());
      scope.store().intents().replaceAt(i.id(), now.plus(config.replaceAfter()));
      return;
    }
    boolean noop = i.replacements() >= config.maxReplacements();
    Attempt next =
        noop
            ? broadcaster.signNoop(i.id(), nonce, bumped, now)
            : broadcaster.sign(
                i.id(),
                AttemptKind.REPLACEMENT,
                nonce,
                BigInteger.valueOf(i.gasLimit().getAsLong()),
                i.target(),
                i.callData(),
                bumped,
                now);
    scope.store().attempts().addReplacement(next, now.plus(config.replaceAfter()));
    scope.metrics().tx(noop ? TxEvent.NOOP : TxEvent.REPLACED, i.action());
    log.warn(
        "keeper chainId={} intent {} nonce {} not mined in {}: {} with maxFee {} tip {} wei",
        scope.chainId(),
        i.idempotencyKey(),
        nonce,
        config.replaceAfter(),
        noop ? "voided by a no-op" : "replaced",
        bumped.maxFeePerGas(),
        bumped.maxPriorityFeePerGas());
    broadcaster.broadcast(i, next);
  }
}
