package dev.lockstep.daemon;

import dev.lockstep.daemon.config.ConfigException;
import dev.lockstep.daemon.config.ConfigReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The production daemon's command line: {@code run} follows real chains with the whole daemon,
 * {@code index} runs only the indexer, {@code tenants} and {@code keys} administer API tenants and
 * keys in the configured database. The sandbox and the demo are the sandbox module's ({@code
 * dev.lockstep.sandbox.SandboxMain}). A configuration or start-up problem is printed as sentences
 * (exit status 2 for a configuration, 1 otherwise), never as a stack trace.
 */
@Command(
    name = "lockstep",
    mixinStandardHelpOptions = true,
    version = "lockstep 0.1.0",
    description = "On-chain back office: indexes, keeps and serves Lockstep's contracts.",
    subcommands = {
      Main.Run.class,
      Main.Index.class,
      AdminCommands.Tenants.class,
      AdminCommands.Keys.class,
      PayoutPoolCommand.class,
      ReconciliationCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Lockstep's error handling (tests run it in-process). */
  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Main::failed);
  }

  /** Without a command: the usage, and exit status 2. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (e instanceof ConfigException c) {
      cmd.getErr().println("lockstep: " + c.getMessage().split(":")[0] + ":");
      c.problems().forEach(p -> cmd.getErr().println("  " + p));
      return 2;
    }
    cmd.getErr().println("lockstep: " + StartupFailures.describe(e));
    return 1;
  }

  /** Where a command finds its database: a configuration file or a URL. */
  static final class Database {
    @Option(
        names = "--config",
        description = "JSON config file (its database_url is used; README, Configuration)")
    Path config;

    @Option(
        names = "--database-url",
        description = "PostgreSQL URL: postgresql://user:pass@host:5432/db or jdbc:postgresql://…")
    String url;

    String jdbcUrl() {
      return config != null ? ConfigReader.readDatabaseUrl(config) : ConfigReader.databaseUrl(url);
    }
  }

  /** {@code --config FILE}, required, shared by run and index. */
  static final class ConfigFile {
    @Option(
        names = "--config",
        required = true,
        description = "JSON config file (README, Configuration)")
    Path path;
  }

  @Command(
      name = "index",
      mixinStandardHelpOptions = true,
      description = {
        "Run only the indexer against the chains and database of a JSON config file.",
        "Reads database_url, chains and management (the other keys of run are ignored);"
            + " a chain needs only chain_id and rpc_urls."
      })
  static final class Index implements Callable<Integer> {
    @ArgGroup(exclusive = false, multiplicity = "1")
    ConfigFile config;

    @Override
    public Integer call() throws InterruptedException {
      StandaloneIndexer indexer =
          StandaloneIndexer.start(ConfigReader.readIndex(config.path), Clock.systemUTC());
      return ProcessLifecycle.runUntilStopped(indexer, indexer.banner());
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Run the daemon against the chains and database of a JSON config file.")
  static final class Run implements Callable<Integer> {
    @ArgGroup(exclusive = false, multiplicity = "1")
    ConfigFile config;

    @Override
    public Integer call() throws InterruptedException {
      Daemon daemon = Daemon.start(ConfigReader.readRun(config.path), Clock.systemUTC());
      return ProcessLifecycle.runUntilStopped(daemon, daemon.banner());
    }
  }
}
