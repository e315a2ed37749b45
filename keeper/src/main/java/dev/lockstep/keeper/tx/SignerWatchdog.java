package dev.lockstep.keeper.tx;

import dev.lockstep.ports.SignerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a signer that stopped moving: intents in flight while its chain nonce has not moved for
 * {@code stuck_after} (a nonce that a reorg took back and nothing refills, a node that drops the
 * transactions, a fee cap below the market). It says so once per episode in an ERROR line, in
 * {@code keeper.signer.stuck} and in {@code /health} ({@code degraded}), and once more (INFO) when
 * the nonce moves again. Fed by the engine's rounds; read from any thread.
 */
final class SignerWatchdog {
  private static final Logger log = LoggerFactory.getLogger(SignerWatchdog.class);

  private final long chainId;
  private final String signer;
  private final Duration stuckAfter;
  private volatile SignerStatus status;
  private long lastNonce = -1;
  private Instant movedAt = Instant.EPOCH;

  SignerWatchdog(long chainId, String signer, Duration stuckAfter) {
    this.chainId = chainId;
    this.signer = signer;
    this.stuckAfter = stuckAfter;
    this.status = new SignerStatus(chainId, signer, 0, -1, Optional.empty());
  }

  /** One round's observation: the signer's mined nonce and its intents in flight. */
  synchronized void observe(long chainNonce, int inFlight, Instant now) {
    if (chainNonce != lastNonce || inFlight == 0) {
      if (status.stuck()) {
        log.info(
            "keeper chainId={} signer={} moving again at nonce {} ({} in flight)",
            chainId,
            signer,
            chainNonce,
            inFlight);
      }
      lastNonce = chainNonce;
      movedAt = now;
      status = new SignerStatus(chainId, signer, inFlight, chainNonce, Optional.empty());
      return;
    }
    boolean stuck = Duration.between(movedAt, now).compareTo(stuckAfter) > 0;
    if (stuck && !status.stuck()) {
      log.error(
          "keeper chainId={} signer={} STUCK: {} intents in flight and the chain nonce has stayed {}"
              + " for {} s (stuck_after {}); see keeper.tx_intents of this signer",
          chainId,
          signer,
          inFlight,
          chainNonce,
          Duration.between(movedAt, now).toSeconds(),
          stuckAfter);
    }
    status =
        new SignerStatus(
            chainId, signer, inFlight, chainNonce, stuck ? Optional.of(movedAt) : Optional.empty());
  }

  SignerStatus status() {
    return status;
  }
}
