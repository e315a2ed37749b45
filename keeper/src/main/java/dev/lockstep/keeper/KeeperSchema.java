package dev.lockstep.keeper;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies the keeper's migrations ({@code db/migration/keeper}) to schema {@code keeper}. Idempotent. */
public final class KeeperSchema {
  public static final String SCHEMA = "keeper";

  private KeeperSchema() {}

  /** Migrates {@code dataSource} to the latest keeper schema version. */
  public static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .schemas(SCHEMA)
        .createSchemas(true)
        .locations("classpath:db/migration/keeper")
        .load()
        .migrate();
  }
}
