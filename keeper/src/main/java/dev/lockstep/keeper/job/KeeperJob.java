package dev.lockstep.keeper.job;

import dev.lockstep.keeper.KeeperException;
import dev.lockstep.keeper.redeem.RedeemDuty;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keeper round of a chain: its {@link RedeemDuty} decides, then its transaction engine pumps,
 * then the engines of the settlement wallets with work on the chain. Never two at once for the same
 * chain, across every daemon of the cluster.
 */
@DisallowConcurrentExecution
public final class KeeperJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(KeeperJob.class);
  private final RedeemDuty duty;
  private final java.util.function.LongConsumer walletRounds;

  KeeperJob(RedeemDuty duty, java.util.function.LongConsumer walletRounds) {
    this.duty = duty;
    this.walletRounds = walletRounds;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    long started = System.nanoTime();
    try {
      duty.run();
    } catch (RuntimeException e) {
      log.warn("keeper chainId={} duty round failed", duty.engine().chainId(), e);
    }
    try {
      duty.engine().pump();
    } catch (KeeperException e) {
      if (e.retryable()) {
        log.warn("{} (the next round retries)", e.getMessage());
      } else {
        log.error(
            "keeper chainId={} engine round refused: {}", duty.engine().chainId(), e.getMessage());
      }
    } catch (RuntimeException e) {
      log.warn(
          "keeper chainId={} engine round failed (next round retries): {}",
          duty.engine().chainId(),
          e.toString());
    }
    try {
      walletRounds.accept(duty.engine().chainId());
    } catch (RuntimeException e) {
      log.warn(
          "keeper chainId={} settlement wallet round failed (next round retries): {}",
          duty.engine().chainId(),
          e.toString());
    }
    duty.metrics()
        .round(duty.engine().chainId(), java.time.Duration.ofNanos(System.nanoTime() - started));
  }
}
