package dev.lockstep.daemon;

import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.indexer.Indexer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The production daemon's command line: {@code run} follows real chains with the whole daemon,
 * {@code index} runs only the indexer. The sandbox and the demo are the sandbox module's ({@code
 * dev.lockstep.sandbox.SandboxMain}).
 */
@Command(
    name = "lockstep",
    mixinStandardHelpOptions = true,
    version = "lockstep 0.1.0",
    description = "On-chain back office: indexes, keeps and serves Lockstep's contracts.",
    subcommands = {Main.Run.class, Main.Index.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** Without a command: the usage, and exit status 2. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  /** Reads the JSON config file (snake_case keys). */
  static DaemonConfig readConfig(Path file) {
    JsonMapper json =
        JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(tools.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();
    return json.readValue(file.toFile(), DaemonConfig.class);
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
      return ProcessLifecycle.runUntilStopped(
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
      return ProcessLifecycle.runUntilStopped(
          daemon, "lockstep running, API on port " + daemon.apiPort());
    }
  }
}
