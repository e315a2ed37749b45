package dev.lockstep.indexer.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** Reading nullable columns of Lockstep's tables (indexer, keeper and API stores alike). */
public final class Columns {
  private Columns() {}

  /** A nullable {@code timestamptz} column as an optional instant. */
  public static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? Optional.empty() : Optional.of(t.toInstant());
  }
}
