package dev.lockstep.keeper.tx;

import dev.lockstep.keeper.KeeperMetrics.TxEvent;
import dev.lockstep.keeper.tx.RevertDecoder.DecodedError;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes intents: stores the closing status and outcome, counts it, and logs it once. */
final class Outcomes {
  private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

  private final EngineScope scope;

  Outcomes(EngineScope scope) {
    this.scope = scope;
  }

  /**
   * The intent's call reverts ({@code where}: simulated, estimated or mined): {@code done_by_other}
   * if the decoded error says its purpose is already achieved, else {@code reverted}; either way
   * with the error's name kept.
   */
  void reverted(Intent i, Optional<DecodedError> why, String where, Instant now) {
    String detail =
        why.map(DecodedError::toString).orElse("revert without a known custom error")
            + " ("
            + where
            + ")";
    Optional<String> error = why.map(DecodedError::name);
    if (why.isPresent() && scope.alreadyDone().test(why.get())) {
      scope.store().intents().close(i.id(), IntentStatus.DONE_BY_OTHER, detail, error, now);
      scope.metrics().tx(TxEvent.DONE_BY_OTHER, i.action());
      log.info(
          "keeper chainId={} {} of {} already done by someone else: {}",
          scope.chainId(),
          i.action().dbValue(),
          i.subject(),
          detail);
    } else {
      scope.store().intents().close(i.id(), IntentStatus.REVERTED, detail, error, now);
      scope.metrics().tx(TxEvent.REVERTED, i.action());
      log.warn(
          "keeper chainId={} {} {} reverts: {}",
          scope.chainId(),
          i.action().dbValue(),
          i.idempotencyKey(),
          detail);
    }
  }

  /** The intent can no longer be mined: its nonce was voided or used by another transaction. */
  void failed(Intent i, String why, Instant now) {
    scope.store().intents().close(i.id(), IntentStatus.FAILED, why, Optional.empty(), now);
    scope.metrics().tx(TxEvent.FAILED, i.action());
  }

  /** The intent's transaction succeeded and is confirmed. */
  void confirmed(Intent i, long block, String hash, Instant now) {
    scope
        .store()
        .intents()
        .close(
            i.id(),
            IntentStatus.CONFIRMED,
            "block " + block + " tx " + hash,
            Optional.empty(),
            now);
    scope.metrics().tx(TxEvent.CONFIRMED, i.action());
    i.submittedAt()
        .ifPresent(t -> scope.metrics().timeToConfirm(java.time.Duration.between(t, now)));
    log.info(
        "keeper chainId={} {} {} confirmed in block {} tx={}",
        scope.chainId(),
        i.action().dbValue(),
        i.subject(),
        block,
        hash);
  }
}
