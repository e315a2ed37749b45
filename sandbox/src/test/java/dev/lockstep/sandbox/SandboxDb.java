package dev.lockstep.sandbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

/** Reads a sandbox's database directly, for assertions on stored state. */
final class SandboxDb {
  private SandboxDb() {}

  /**
   * Terminates every daemon's listening connection ({@code LISTEN} for the key cache and the read
   * cache); how many were cut.
   */
  static long cutListeners(Sandbox sandbox) throws Exception {
    return count(
        sandbox,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '"
            + dev.lockstep.api.cache.Notifications.APPLICATION_NAME
            + "'");
  }

  /** Runs {@code sql} (a write behind every daemon's back: no notification); rows affected. */
  static int update(Sandbox sandbox, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(sandbox.databaseUrl())) {
      return c.createStatement().executeUpdate(sql);
    }
  }

  /** The single number {@code sql} selects. */
  static long count(Sandbox sandbox, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(sandbox.databaseUrl());
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
