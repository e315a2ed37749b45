package dev.lockstep.indexer.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Applies the indexer's versioned migrations ({@code db/migration/indexer}) to schema {@code
 * indexer}, which the indexer alone writes. Idempotent; safe to call from every daemon at start.
 */
public final class IndexerSchema {
  /** The PostgreSQL schema holding indexed state. */
  public static final String SCHEMA = "indexer";

  private IndexerSchema() {}

  /** Migrates {@code dataSource} to the latest indexer schema version. */
  public static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .schemas(SCHEMA)
        .createSchemas(true)
        .locations("classpath:db/migration/indexer")
        .load()
        .migrate();
  }
}
