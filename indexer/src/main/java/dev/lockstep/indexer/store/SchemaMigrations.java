package dev.lockstep.indexer.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Applies one module's versioned Flyway migrations to the PostgreSQL schema it owns. Every module
 * keeps its migrations under {@code db/migration/<schema>} on its classpath and is the only writer
 * of that schema: {@code indexer} (this module), {@code keeper}, {@code api}. Idempotent; safe to
 * call from every daemon at start.
 */
public final class SchemaMigrations {
  /** The schema holding indexed state. */
  public static final String INDEXER = "indexer";

  private SchemaMigrations() {}

  /** Creates {@code schema} if missing and migrates it to the latest version of its migrations. */
  public static void migrate(DataSource dataSource, String schema) {
    Flyway.configure()
        .dataSource(dataSource)
        .schemas(schema)
        .createSchemas(true)
        .locations("classpath:db/migration/" + schema)
        .load()
        .migrate();
  }
}
