package dev.lockstep.sandbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

/** Reads a sandbox's database directly, for assertions on stored state. */
final class SandboxDb {
  private SandboxDb() {}

  /** The single number {@code sql} selects. */
  static long count(Sandbox sandbox, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(sandbox.databaseUrl());
        ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
