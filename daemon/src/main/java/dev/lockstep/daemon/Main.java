package dev.lockstep.daemon;

import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.indexer.Indexer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lockstep}: with no command runs the sandbox; {@code demo} runs the end-to-end scenario;
 * {@code run} follows real chains.
 */
@Command(
    name = "lockstep",
    mixinStandardHelpOptions = true,
    version = "lockstep 0.1.0",
    description = "On-chain back office: indexes, keeps and serves Lockstep's contracts.",
    subcommands = {Main.Demo.class, Main.Run.class, Main.Index.class})
public final class Main implements Callable<Integer> {
  @Option(names = "--api-port", description = "API port (default: a free port)")
  int apiPort;

  @Option(
      names = "--work-dir",
      description = "where the sandbox keeps PostgreSQL files (default: .lockstep/)")
  Path workDir = Path.of(".lockstep");

  @Option(
      names = "--daemons",
      description = "sandbox daemons sharing the one database and the keeper's work (default: 1)")
  int daemons = 1;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** Runs the sandbox until the process is stopped. */
  @Override
  public Integer call() throws InterruptedException {
    Sandbox sandbox = Sandbox.start(apiPort, workDir, daemons);
    return runUntilStopped(sandbox, "sandbox ready " + sandbox.readyJson());
  }

  @Command(
      name = "demo",
      description =
          "Start a sandbox, drive a settled and a cancelled redeem, check every step; exit 0 if all hold.")
  static final class Demo implements Callable<Integer> {
    @CommandLine.ParentCommand Main parent;

    @Override
    public Integer call() throws Exception {
      try (Sandbox sandbox = Sandbox.start(parent.apiPort, parent.workDir, parent.daemons)) {
        System.out.println("sandbox ready " + sandbox.readyJson());
        boolean ok = new RedeemDemo(sandbox, System.out).run();
        System.out.println(ok ? "demo passed" : "demo FAILED");
        return ok ? 0 : 1;
      }
    }
  }

  /** Reads the JSON config file (snake_case keys). */
  static DaemonConfig readConfig(Path file) {
    JsonMapper json =
        JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    return json.readValue(file.toFile(), DaemonConfig.class);
  }

  /**
   * Prints {@code banner}, then blocks until the process is asked to stop, and closes {@code
   * running}.
   */
  static int runUntilStopped(AutoCloseable running, String banner) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    running.close();
                  } catch (Exception e) {
                    System.err.println("lockstep: error while stopping: " + e);
                  }
                  stopped.countDown();
                }));
    System.out.println(banner);
    System.out.flush();
    stopped.await();
    return 0;
  }

  @Command(
      name = "index",
      description =
          "Run only the indexer against the chains and database of a JSON config file "
              + "(the same format as run; only database_url and chains are used).")
  static final class Index implements Callable<Integer> {
    @Option(
        names = "--config",
        required = true,
        description = "JSON config file (see README, Configuration)")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
      DaemonConfig cfg = readConfig(config);
      HikariDataSource ds = new HikariDataSource();
      ds.setJdbcUrl(cfg.databaseUrl());
      ds.setMaximumPoolSize(4);
      Indexer indexer =
          new Indexer(ds, cfg.chains(), new SimpleMeterRegistry(), List.of(), Clock.systemUTC())
              .start();
      return runUntilStopped(
          () -> {
            indexer.close();
            ds.close();
          },
          "lockstep indexer running on " + cfg.chains().size() + " chain(s)");
    }
  }

  @Command(
      name = "run",
      description = "Run the daemon against the chains and database of a JSON config file.")
  static final class Run implements Callable<Integer> {
    @Option(
        names = "--config",
        required = true,
        description = "JSON config file (see README, Configuration)")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
      Daemon daemon = Daemon.start(readConfig(config), Clock.systemUTC());
      return runUntilStopped(daemon, "lockstep running, API on port " + daemon.apiPort());
    }
  }
}
