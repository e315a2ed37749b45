package dev.lockstep.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;

/** Small helpers the benchmark programs share. */
final class BenchSupport {
  private BenchSupport() {}

  /** {@code --name value} pairs of the command line, by name without the dashes. */
  static java.util.Map<String, String> options(String[] args) {
    java.util.Map<String, String> opts = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return opts;
  }

  /** Prints one progress line, prefixed {@code bench:}. */
  static void say(String format, Object... args) {
    System.out.printf("bench: " + format + "%n", args);
    System.out.flush();
  }

  /** The first column of the first row of {@code sql}, as a long. */
  static long count(Connection c, String sql) throws Exception {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The {@code p}th percentile (nearest rank) of {@code values}. */
  static long percentile(List<Long> values, int p) {
    List<Long> sorted = values.stream().sorted().toList();
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** {@code v} rounded to three decimals, for printing. */
  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
