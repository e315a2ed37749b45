package dev.lockstep.devnet;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started as a child process from the zonky embedded binaries, on a random
 * free port, with its files under {@code workDir}. Each {@link #createDatabase} call makes a fresh,
 * empty database, so tests and sandboxes never share state.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final AtomicInteger SEQ = new AtomicInteger();

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL with its binaries unpacked and its data directory under {@code workDir}.
   *
   * @throws DevnetException if the server does not start
   */
  public static EmbeddedDatabase start(Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path data = Files.createTempDirectory(workDir, "pgdata-");
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setOverrideWorkingDirectory(workDir.toFile())
              .setDataDirectory(data)
              .setCleanDataDirectory(true)
              .start();
      log.info("embedded PostgreSQL on port {} (data {})", pg.getPort(), data);
      return new EmbeddedDatabase(pg);
    } catch (IOException e) {
      throw new DevnetException("could not start embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  /**
   * Creates an empty database with a unique name derived from {@code prefix} and returns its JDBC
   * URL.
   */
  public String createDatabase(String prefix) {
    String name =
        (prefix.replaceAll("[^a-z0-9_]", "_") + "_" + SEQ.incrementAndGet()).toLowerCase();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new DevnetException("could not create database " + name, e);
    }
    return jdbcUrl(name);
  }

  /** JDBC URL of database {@code name} on this server (user {@code postgres}, no password). */
  public String jdbcUrl(String name) {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name + "?user=postgres";
  }

  /** The port the server listens on. */
  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }
}
