package dev.lockstep.indexer.support;

import dev.lockstep.devnet.EmbeddedDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of indexer ITs that share one embedded PostgreSQL per test class (each test makes its own
 * database).
 */
public abstract class SharedDatabase {
  protected static EmbeddedDatabase db;

  @BeforeAll
  static void startDatabase() {
    db = EmbeddedDatabase.start(Path.of("target", "pg-it"));
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }
}
