package dev.lockstep.keeper.job;

import dev.lockstep.keeper.redeem.RedeemDuty;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Thin Quartz adapter: one run of a chain's {@link RedeemDuty}. Never two at once for the same job key. */
@DisallowConcurrentExecution
public final class RedeemDutyJob implements Job {
  private final RedeemDuty duty;

  RedeemDutyJob(RedeemDuty duty) {
    this.duty = duty;
  }

  @Override
  public void execute(JobExecutionContext context) {
    duty.run();
  }
}
