package dev.lockstep.keeper.job;

import dev.lockstep.keeper.redeem.RedeemDuty;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each chain's {@link KeeperJob} on Quartz with the clustered JDBC job store in schema {@code
 * keeper} (tables {@code qrtz_*}), so that several daemons on one database share the work and each
 * firing runs on exactly one of them: every {@code interval}, and at once when {@link #wake} is
 * called (the indexer committed order events, an integrator asked to cancel). A daemon that dies
 * mid-round is detected by the others' cluster check-in and its job recovered.
 */
public final class KeeperScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeeperScheduler.class);
  private static final String GROUP = "keeper";

  private final Scheduler scheduler;
  private final Map<Long, JobKey> jobs = new ConcurrentHashMap<>();

  /**
   * @param dataSource the daemon's PostgreSQL pool (the {@code keeper} schema is migrated)
   * @param instanceId this daemon's identity in the cluster
   * @param duties the redeem duty of each chain, by chain id
   * @param walletRounds a chain's round for the settlement wallets' engines, after the keeper's
   * @param interval delay between scheduled rounds of each chain
   */
  public KeeperScheduler(
      DataSource dataSource,
      String instanceId,
      Map<Long, RedeemDuty> duties,
      java.util.function.LongConsumer walletRounds,
      Duration interval) {
    try {
      String provider = "lockstep-" + instanceId;
      DBConnectionManager.getInstance()
          .addConnectionProvider(
              provider,
              new ConnectionProvider() {
                @Override
                public Connection getConnection() throws SQLException {
                  return dataSource.getConnection();
                }

                @Override
                public void shutdown() {}

                @Override
                public void initialize() {}
              });
      Properties p = new Properties();
      p.setProperty("org.quartz.scheduler.instanceName", "lockstep-keeper");
      p.setProperty("org.quartz.scheduler.instanceId", instanceId);
      p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
      p.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
      p.setProperty(
          "org.quartz.threadPool.threadCount", Integer.toString(Math.max(2, duties.size() + 1)));
      p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
      p.setProperty(
          "org.quartz.jobStore.driverDelegateClass",
          "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
      p.setProperty("org.quartz.jobStore.dataSource", provider);
      p.setProperty("org.quartz.jobStore.tablePrefix", "keeper.qrtz_");
      p.setProperty("org.quartz.jobStore.isClustered", "true");
      p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "2000");
      p.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
      p.setProperty("org.quartz.jobStore.useProperties", "true");
      p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
      scheduler = new StdSchedulerFactory(p).getScheduler();
      scheduler.setJobFactory(
          (bundle, s) ->
              new KeeperJob(
                  duties.get(
                      Long.parseLong(bundle.getJobDetail().getJobDataMap().getString("chainId"))),
                  walletRounds));
      for (Map.Entry<Long, RedeemDuty> e : duties.entrySet()) {
        JobKey key = JobKey.jobKey("keeper-" + e.getKey(), GROUP);
        JobDetail job =
            JobBuilder.newJob(KeeperJob.class)
                .withIdentity(key)
                .usingJobData("chainId", Long.toString(e.getKey()))
                .storeDurably()
                .requestRecovery()
                .build();
        Trigger trigger =
            TriggerBuilder.newTrigger()
                .withIdentity(TriggerKey.triggerKey("keeper-" + e.getKey(), GROUP))
                .forJob(key)
                .startNow()
                .withSchedule(
                    SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(interval.toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
        // Every daemon declares the same job and trigger; replacing keeps one of each in the
        // cluster.
        scheduler.scheduleJob(job, Set.of(trigger), true);
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

  /**
   * Runs the round of {@code chainId} as soon as a worker of the cluster is free (no-op for an
   * unknown chain).
   */
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

  /**
   * Runs the round of {@code chainId} at {@code when} (a broker answer is due then): one such
   * wake-up per chain across the cluster, moved earlier if asked for an earlier time.
   */
  public void wakeAt(long chainId, java.time.Instant when) {
    JobKey key = jobs.get(chainId);
    if (key == null) {
      return;
    }
    TriggerKey t = TriggerKey.triggerKey("due-" + chainId, GROUP);
    java.util.Date at = java.util.Date.from(when);
    try {
      Trigger existing = scheduler.getTrigger(t);
      Trigger wake = TriggerBuilder.newTrigger().withIdentity(t).forJob(key).startAt(at).build();
      if (existing == null) {
        scheduler.scheduleJob(wake);
      } else if (existing.getNextFireTime() == null || existing.getNextFireTime().after(at)) {
        scheduler.rescheduleJob(t, wake);
      }
    } catch (SchedulerException e) {
      // Another daemon scheduled it at the same moment: its wake-up serves both.
      log.debug("keeper chainId={} wake-up at {} not scheduled: {}", chainId, when, e.toString());
    }
  }

  /** Runs every chain's round as soon as possible. */
  public void wakeAll() {
    jobs.keySet().forEach(this::wake);
  }

  /** Stops this daemon's scheduler, waiting for its running rounds to finish. */
  @Override
  public void close() {
    try {
      scheduler.shutdown(true);
    } catch (SchedulerException e) {
      log.warn("keeper scheduler did not stop cleanly: {}", e.toString());
    }
  }
}
