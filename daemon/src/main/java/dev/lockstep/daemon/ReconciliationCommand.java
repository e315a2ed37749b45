package dev.lockstep.daemon;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.indexer.store.SchemaMigrations;
import dev.lockstep.keeper.recon.DailyReconciliation;
import dev.lockstep.ports.Reconciliation;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lockstep reconciliation clear}: the operator clears a reconciliation break (reference
 * platform-docs "Reconciliation reports": minting stays paused "until operations clear the break").
 * Who cleared it, when and why is recorded with the break (the audit); the running daemon's next
 * keeper round resumes minting on chain through the pauser's key.
 */
@Command(
    name = "reconciliation",
    mixinStandardHelpOptions = true,
    description = "Operate the daily reconciliation.",
    subcommands = {ReconciliationCommand.Clear.class})
final class ReconciliationCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "clear",
      mixinStandardHelpOptions = true,
      description = "Clear the open break of a token on a chain: minting resumes.")
  static final class Clear implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--chain-id", required = true, description = "the chain's id, e.g. 8453")
    long chainId;

    @Option(names = "--token", required = true, description = "the token's ticker, e.g. AAPL")
    String token;

    @Option(names = "--operator", required = true, description = "who clears it (recorded)")
    String operator;

    @Option(names = "--reason", required = true, description = "why (recorded)")
    String reason;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Main.Database db;

    @Override
    public Integer call() {
      HikariConfig pool = new HikariConfig();
      pool.setJdbcUrl(db.jdbcUrl());
      pool.setMaximumPoolSize(2);
      pool.setPoolName("lockstep-admin");
      List<Reconciliation.Break> cleared;
      try (HikariDataSource ds = new HikariDataSource(pool)) {
        SchemaMigrations.migrate(ds, "keeper");
        cleared =
            DailyReconciliation.recordClear(
                Jdbi.create(ds), chainId, token, operator, reason, Clock.systemUTC().instant());
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      for (Reconciliation.Break b : cleared) {
        out.println(
            "cleared the break of "
                + b.token()
                + " on chain "
                + b.chainId()
                + " of "
                + b.date()
                + " (diff "
                + b.diffUsdc().toPlainString()
                + " USD) by "
                + operator
                + "; minting resumes on the daemon's next keeper round");
      }
      out.flush();
      return 0;
    }
  }
}
