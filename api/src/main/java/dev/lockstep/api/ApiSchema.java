package dev.lockstep.api;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies the API's migrations ({@code db/migration/api}) to schema {@code api}. Idempotent. */
public final class ApiSchema {
  public static final String SCHEMA = "api";

  private ApiSchema() {}

  /** Migrates {@code dataSource} to the latest API schema version. */
  public static void migrate(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).schemas(SCHEMA).createSchemas(true)
        .locations("classpath:db/migration/api").load().migrate();
  }
}
