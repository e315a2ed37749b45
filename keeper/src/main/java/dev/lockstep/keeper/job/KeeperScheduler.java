package dev.lockstep.keeper.job;

import dev.lockstep.keeper.redeem.RedeemDuty;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each chain's {@link RedeemDuty} on Quartz every {@code interval}, and at once when {@link
 * #wake} is called (the indexer committed new blocks, an integrator asked to cancel). Uses Quartz's
 * in-memory job store; the clustered JDBC job store for several daemons is issue #4.
 */
public final class KeeperScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeeperScheduler.class);

  private final Scheduler scheduler;
  private final Map<Long, JobKey> jobs = new ConcurrentHashMap<>();

  /**
   * @param duties the redeem duty of each chain, by chain id
   * @param interval delay between scheduled runs of each duty
   */
  public KeeperScheduler(Map<Long, RedeemDuty> duties, Duration interval) {
    try {
      Properties p = new Properties();
      p.setProperty("org.quartz.scheduler.instanceName", "lockstep-keeper");
      p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
      p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(Math.max(2, duties.size() + 1)));
      p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
      scheduler = new StdSchedulerFactory(p).getScheduler();
      scheduler.setJobFactory((bundle, s) ->
          new RedeemDutyJob(duties.get(bundle.getJobDetail().getJobDataMap().getLong("chainId"))));
      for (Map.Entry<Long, RedeemDuty> e : duties.entrySet()) {
        JobKey key = JobKey.jobKey("redeem-duty-" + e.getKey(), "keeper");
        JobDetail job = JobBuilder.newJob(RedeemDutyJob.class).withIdentity(key).usingJobData("chainId", e.getKey())
            .storeDurably().build();
        Trigger trigger = TriggerBuilder.newTrigger().forJob(key).startNow()
            .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(interval.toMillis())
                .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount())
            .build();
        scheduler.scheduleJob(job, trigger);
        jobs.put(e.getKey(), key);
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException("could not set up the keeper scheduler", e);
    }
  }

  /** Starts firing jobs. */
  public void start() {
    try {
      scheduler.start();
    } catch (SchedulerException e) {
      throw new IllegalStateException("could not start the keeper scheduler", e);
    }
  }

  /** Runs the duty of {@code chainId} as soon as a worker is free (no-op for an unknown chain). */
  public void wake(long chainId) {
    JobKey key = jobs.get(chainId);
    if (key == null) {
      return;
    }
    try {
      scheduler.triggerJob(key);
    } catch (SchedulerException e) {
      log.warn("keeper chainId={} wake-up failed: {}", chainId, e.toString());
    }
  }

  /** Runs every chain's duty as soon as possible. */
  public void wakeAll() {
    jobs.keySet().forEach(this::wake);
  }

  /** Stops the scheduler, waiting for running jobs to finish. */
  @Override
  public void close() {
    try {
      scheduler.shutdown(true);
    } catch (SchedulerException e) {
      log.warn("keeper scheduler did not stop cleanly: {}", e.toString());
    }
  }
}
