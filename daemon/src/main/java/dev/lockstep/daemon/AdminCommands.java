package dev.lockstep.daemon;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.api.Pagination;
import dev.lockstep.api.auth.ApiKeys;
import dev.lockstep.api.auth.ApiKeys.KeyInfo;
import dev.lockstep.api.auth.Scope;
import dev.lockstep.indexer.store.SchemaMigrations;
import dev.lockstep.ports.Mode;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lockstep tenants …} and {@code lockstep keys …}: the first tenant and key of a deployment
 * without a sandbox, against the configured database (its {@code api} schema is migrated first). A
 * key's secret is printed once, by {@code keys create}, and stored only as its SHA-256 hash.
 */
final class AdminCommands {
  private AdminCommands() {}

  /** The API's key store on the database of {@code db}, for one command. */
  private static <T> T withKeys(Main.Database db, java.util.function.Function<ApiKeys, T> action) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(db.jdbcUrl());
    pool.setMaximumPoolSize(2);
    pool.setPoolName("lockstep-admin");
    try (HikariDataSource ds = new HikariDataSource(pool)) {
      SchemaMigrations.migrate(ds, "api");
      return action.apply(new ApiKeys(Jdbi.create(ds), Clock.systemUTC()));
    }
  }

  /** Picocli's usage error (exit status 2) with {@code message}. */
  private static CommandLine.ParameterException usage(
      CommandLine.Model.CommandSpec spec, String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  @Command(
      name = "tenants",
      mixinStandardHelpOptions = true,
      description = "API tenants: create one, or list them.",
      subcommands = {Tenants.Create.class, Tenants.ListTenants.class})
  static final class Tenants implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw usage(spec, "Missing command: create or list");
    }

    @Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Create a tenant (exit 0 if it already exists, saying so).")
    static final class Create implements Callable<Integer> {
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Parameters(index = "0", description = "tenant id, e.g. ten_acme")
      String id;

      @Option(
          names = "--tier",
          description = "rate-limit tier: startup (default), growth, scale or enterprise")
      String tier = "startup";

      @ArgGroup(exclusive = true, multiplicity = "1")
      Main.Database db;

      @Override
      public Integer call() {
        if (!id.matches("[A-Za-z0-9_-]{1,64}")) {
          throw usage(spec, "tenant id must be 1-64 letters, digits, _ or -: " + id);
        }
        if (!ApiKeys.TIERS.contains(tier)) {
          throw usage(spec, "--tier must be one of " + ApiKeys.TIERS + ": " + tier);
        }
        boolean created = withKeys(db, k -> k.createTenant(id, tier));
        PrintWriter out = spec.commandLine().getOut();
        out.println(
            created
                ? "created tenant " + id + " (tier " + tier + ")"
                : "tenant " + id + " already exists");
        out.flush();
        return 0;
      }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenants.")
    static final class ListTenants implements Callable<Integer> {
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @ArgGroup(exclusive = true, multiplicity = "1")
      Main.Database db;

      @Override
      public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (ApiKeys.Tenant t : withKeys(db, ApiKeys::tenants)) {
          out.printf(
              "%s\ttier=%s\tactive_keys=%d\tcreated_at=%s%n",
              t.id(), t.tier(), t.activeKeys(), t.createdAt());
        }
        out.flush();
        return 0;
      }
    }
  }

  @Command(
      name = "keys",
      mixinStandardHelpOptions = true,
      description = "API keys: create one (the secret is printed once), list or revoke them.",
      subcommands = {Keys.Create.class, Keys.ListKeys.class, Keys.Revoke.class})
  static final class Keys implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw usage(spec, "Missing command: create, list or revoke");
    }

    @Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = {
          "Create a key for an existing tenant and print its secret, once.",
          "Output: the key id, then the secret (sk_test_… or sk_live_…) on its own line."
        })
    static final class Create implements Callable<Integer> {
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Option(
          names = "--tenant",
          required = true,
          description = "tenant id (lockstep tenants create)")
      String tenant;

      @Option(
          names = "--scope",
          required = true,
          description = "full (every call) or read (GET only)")
      Scope scope;

      @Option(
          names = "--env",
          required = true,
          description = "test or live: which daemons accept it")
      Mode env;

      @ArgGroup(exclusive = true, multiplicity = "1")
      Main.Database db;

      @Override
      public Integer call() {
        Optional<KeyInfo> key =
            withKeys(
                db,
                k ->
                    k.tenantExists(tenant)
                        ? Optional.of(k.createFor(tenant, env, scope))
                        : Optional.empty());
        if (key.isEmpty()) {
          throw usage(
              spec,
              "no tenant "
                  + tenant
                  + "; create it first: lockstep tenants create "
                  + tenant
                  + " --config …");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(
            "created key "
                + key.get().id()
                + " for tenant "
                + tenant
                + " ("
                + env.dbValue()
                + ", "
                + scope.dbValue()
                + "); the secret, shown only now:");
        out.println(key.get().secret().orElseThrow());
        out.flush();
        return 0;
      }
    }

    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List a tenant's newest 100 keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Option(names = "--tenant", required = true, description = "tenant id")
      String tenant;

      @ArgGroup(exclusive = true, multiplicity = "1")
      Main.Database db;

      @Override
      public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (KeyInfo k :
            withKeys(
                db,
                keys ->
                    keys.list(tenant, new Pagination(100, Optional.empty(), Optional.empty()))
                        .data())) {
          out.printf(
              "%s\t%s\t%s\t%s…\tcreated_at=%s%s%n",
              k.id(),
              k.mode().dbValue(),
              k.scope().dbValue(),
              k.prefix(),
              k.createdAt(),
              k.revokedAt().map(t -> "\trevoked_at=" + t).orElse(""));
        }
        out.flush();
        return 0;
      }
    }

    @Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        description = "Revoke a key at once.")
    static final class Revoke implements Callable<Integer> {
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Parameters(index = "0", description = "key id, e.g. key_…")
      String id;

      @ArgGroup(exclusive = true, multiplicity = "1")
      Main.Database db;

      @Override
      public Integer call() {
        Optional<KeyInfo> key = withKeys(db, k -> k.revokeById(id));
        if (key.isEmpty()) {
          throw usage(spec, "no key " + id);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("revoked key " + id + " at " + key.get().revokedAt().orElseThrow());
        out.flush();
        return 0;
      }
    }
  }
}
