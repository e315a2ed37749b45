package dev.lockstep.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.api.auth.ApiKey;
import dev.lockstep.api.auth.ApiKeys;
import dev.lockstep.api.auth.Scope;
import dev.lockstep.devnet.EmbeddedDatabase;
import dev.lockstep.ports.Mode;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A real deployment's first key, without a sandbox: {@code lockstep tenants create} and {@code
 * lockstep keys create|list|revoke} against a fresh PostgreSQL, as an operator runs them (the same
 * command line, in-process).
 */
class FirstKeyIT {
  private record Result(int code, String out, String err) {}

  /** {@code lockstep keys create --tenant ten_acme --scope SCOPE --env live DB-OPTION VALUE}. */
  private static Result liveKey(String scope, String dbOption, String dbValue) {
    return lockstep(
        "keys",
        "create",
        "--tenant",
        "ten_acme",
        "--scope",
        scope,
        "--env",
        "live",
        dbOption,
        dbValue);
  }

  private static Result lockstep(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.commandLine()
            .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
            .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
            .execute(args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anOperatorCreatesATenantAndItsFirstKeyThenRevokesIt() throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(Path.of("target", "pg-first-key"))) {
      String jdbc = db.createDatabase("first_key");
      // The libpq form in a config file, as an operator would write it.
      String libpq =
          "postgresql://postgres@localhost:"
              + db.port()
              + jdbc.substring(jdbc.lastIndexOf('/'), jdbc.indexOf('?'));
      Path config = Files.createTempFile(Path.of("target"), "first-key", ".json");
      Files.writeString(config, "{\"database_url\": \"" + libpq + "\"}");

      Result noTenant = liveKey("full", "--config", config.toString());
      assertThat(noTenant.code()).isEqualTo(2);
      assertThat(noTenant.err()).contains("no tenant ten_acme; create it first");

      Result tenant =
          lockstep(
              "tenants", "create", "ten_acme", "--tier", "growth", "--config", config.toString());
      assertThat(tenant.code()).as(tenant.err()).isZero();
      assertThat(tenant.out()).contains("created tenant ten_acme (tier growth)");
      assertThat(lockstep("tenants", "create", "ten_acme", "--database-url", jdbc).out())
          .contains("tenant ten_acme already exists");

      Result key = liveKey("full", "--database-url", jdbc);
      assertThat(key.code()).as(key.err()).isZero();
      List<String> lines = key.out().lines().toList();
      String keyId = lines.getFirst().split(" ")[2];
      String secret = lines.get(1);
      assertThat(keyId).startsWith("key_");
      assertThat(secret).matches("sk_live_[0-9A-Za-z]{32}");

      try (HikariDataSource ds = new HikariDataSource()) {
        ds.setJdbcUrl(jdbc);
        ApiKeys keys = new ApiKeys(Jdbi.create(ds), Clock.systemUTC());
        Optional<ApiKey> authenticated = keys.authenticate(secret);
        assertThat(authenticated)
            .hasValueSatisfying(
                k -> {
                  assertThat(k.tenantId()).isEqualTo("ten_acme");
                  assertThat(k.mode()).isEqualTo(Mode.LIVE);
                  assertThat(k.scope()).isEqualTo(Scope.FULL);
                  assertThat(k.tier()).isEqualTo(dev.lockstep.api.auth.Tier.GROWTH);
                });
        assertThat(secretAnywhere(jdbc, secret)).as("the secret in any row").isZero();

        Result listed = lockstep("keys", "list", "--tenant", "ten_acme", "--database-url", jdbc);
        assertThat(listed.out()).contains(keyId).contains("live\tfull").doesNotContain(secret);
        assertThat(lockstep("tenants", "list", "--database-url", jdbc).out())
            .contains("ten_acme\ttier=growth\tactive_keys=1");

        Result revoked = lockstep("keys", "revoke", keyId, "--database-url", jdbc);
        assertThat(revoked.code()).as(revoked.err()).isZero();
        assertThat(revoked.out()).contains("revoked key " + keyId);
        assertThat(keys.authenticate(secret)).isEmpty();
        assertThat(lockstep("keys", "revoke", "key_nope", "--database-url", jdbc).err())
            .contains("no key key_nope");
      }

      Result badScope = liveKey("admin", "--database-url", jdbc);
      assertThat(badScope.code()).isEqualTo(2);
      assertThat(badScope.err())
          .contains("Invalid value for option '--scope'")
          .contains("FULL, READ");
      Result unreachable =
          lockstep("tenants", "list", "--database-url", "postgresql://u@127.0.0.1:1/db");
      assertThat(unreachable.code()).isEqualTo(1);
      assertThat(unreachable.err())
          .startsWith("lockstep: cannot use the database")
          .doesNotContain("\tat ");
    }
  }

  /** Rows of every table whose text holds {@code secret}'s random part. */
  private static long secretAnywhere(String jdbc, String secret) throws Exception {
    String tail = secret.substring("sk_live_".length());
    long found = 0;
    try (Connection c = DriverManager.getConnection(jdbc);
        ResultSet tables =
            c.createStatement()
                .executeQuery(
                    "SELECT table_schema || '.' || table_name FROM information_schema.tables"
                        + " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')")) {
      List<String> names = new java.util.ArrayList<>();
      while (tables.next()) {
        names.add(tables.getString(1));
      }
      assertThat(names).contains("api.api_keys", "api.tenants");
      for (String t : names) {
        try (ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM " + t + " x WHERE x::text LIKE '%" + tail + "%'")) {
          rs.next();
          found += rs.getLong(1);
        }
      }
    }
    return found;
  }
}
