package dev.lockstep.sandbox;

import dev.lockstep.daemon.DaemonConfig;
import dev.lockstep.daemon.ProcessLifecycle;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lockstep} with no command: runs the sandbox until stopped; {@code lockstep demo}: runs the
 * end-to-end redeem scenario and exits 0 only if every check holds. {@code scripts/lockstep} sends
 * every other command ({@code run}, {@code index}, {@code tenants}, {@code keys}) to the production
 * daemon, which carries no devnet.
 */
@Command(
    name = "lockstep",
    mixinStandardHelpOptions = true,
    version = "lockstep 0.1.0",
    description = {
      "Runs the Lockstep sandbox: local anvil chains, an embedded PostgreSQL, the contracts"
          + " deployed, and the daemon serving the API with a fresh sk_test_ key.",
      "Other commands (run, index, tenants, keys) belong to the production daemon:"
          + " scripts/lockstep run --help."
    },
    subcommands = {SandboxMain.Demo.class})
public final class SandboxMain implements Callable<Integer> {
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

  @Option(
      names = "--calendar",
      description =
          "venue calendar: always_open (default: orders are routed at once) or exchange (US"
              + " equities' sessions and holidays, bond and monthly private-credit dealing days;"
              + " orders out of session wait queued)")
  String calendar = DaemonConfig.ALWAYS_OPEN;

  @Option(
      names = "--clearing-delay",
      description =
          "the simulated broker clears each fill this long after it (ISO-8601, e.g. PT10S)"
              + " instead of on its venue's cycle (T+1 US equities, T+2 bonds, monthly private"
              + " credit; on the always_open calendar fills clear at once)")
  java.time.@org.jspecify.annotations.Nullable Duration clearingDelay;

  @Option(
      names = "--price-volatility-bps",
      description =
          "the simulated marks walk: each 5 s tick moves a price by at most this many basis"
              + " points (default 0: flat marks)")
  int priceVolatilityBps;

  @Option(
      names = "--price-seed",
      description = "the seed of the marks' random walk (default 1: the same paths every run)")
  long priceSeed = 1;

  private Sandbox startSandbox() {
    if (!calendar.equals(DaemonConfig.ALWAYS_OPEN) && !calendar.equals(DaemonConfig.EXCHANGE)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--calendar must be always_open or exchange");
    }
    if (priceVolatilityBps < 0 || priceVolatilityBps > 1_000) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--price-volatility-bps must be 0-1000");
    }
    return Sandbox.start(
        new Sandbox.Options(
            apiPort,
            workDir,
            daemons,
            dev.lockstep.ports.ShiftableClock.system(),
            java.util.Map.of(),
            Sandbox.FILL_DELAY,
            calendar,
            java.util.Optional.ofNullable(clearingDelay),
            priceVolatilityBps == 0
                ? java.util.Optional.empty()
                : java.util.Optional.of(java.util.Map.entry(priceSeed, priceVolatilityBps))));
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SandboxMain()).execute(args));
  }

  /** Runs the sandbox until the process is stopped. */
  @Override
  public Integer call() throws InterruptedException {
    Sandbox sandbox = startSandbox();
    return ProcessLifecycle.runUntilStopped(sandbox, "sandbox ready " + sandbox.readyJson());
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description =
          "Start a sandbox and run the quickstart through the API (quote, mint, redeem to USDT, a"
              + " rejected redeem, a limit sell that fills when the mark crosses); check every"
              + " step; exit 0 if all hold.")
  static final class Demo implements Callable<Integer> {
    @CommandLine.ParentCommand SandboxMain parent;

    @Override
    public Integer call() throws Exception {
      try (Sandbox sandbox = parent.startSandbox()) {
        System.out.println("sandbox ready " + sandbox.readyJson());
        boolean ok = new OrderDemo(sandbox, System.out).run();
        System.out.println(ok ? "demo passed" : "demo FAILED");
        return ok ? 0 : 1;
      }
    }
  }
}
