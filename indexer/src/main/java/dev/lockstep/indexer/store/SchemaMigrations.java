package dev.lockstep.indexer.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Applies one module's versioned Flyway migrations to the PostgreSQL schema it owns. Every module
 * keeps its migrations under {@code db/migration/<schema>} on its classpath and is the only writer
 * of that schema: {@code indexer} (this module), {@code keeper}, {@code api}. Idempotent; safe to
 * call from every daemon at start.
 *
 * <p>A start against an up-to-date schema is the common case and costs one query: when the schema's
 * {@code flyway_schema_history} already lists exactly the migration scripts on the classpath as
 * applied, Flyway (whose start-up alone is about half a second) is not run. Anything else (a fresh
 * database, a new script, a failed one) goes through Flyway's migrate, which validates checksums.
 * The fast path trusts that an applied script was not edited afterwards.
 */
public final class SchemaMigrations {
  /** The schema holding indexed state. */
  public static final String INDEXER = "indexer";

  private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__.+\\.sql");

  private SchemaMigrations() {}

  /** Creates {@code schema} if missing and migrates it to the latest version of its migrations. */
  public static void migrate(DataSource dataSource, String schema) {
    if (upToDate(dataSource, schema)) {
      return;
    }
    Flyway.configure()
        .dataSource(dataSource)
        .schemas(schema)
        .createSchemas(true)
        .locations("classpath:db/migration/" + schema)
        .load()
        .migrate();
  }

  /** Whether every packaged script of {@code schema}, and nothing else, is applied successfully. */
  static boolean upToDate(DataSource dataSource, String schema) {
    Set<String> packaged = packagedScripts(schema);
    if (packaged.isEmpty()) {
      return false;
    }
    Set<String> applied = new HashSet<>();
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT script, success FROM "
                    + schema
                    + ".flyway_schema_history WHERE version IS NOT NULL")) {
      while (rs.next()) {
        if (!rs.getBoolean(2)) {
          return false;
        }
        applied.add(rs.getString(1));
      }
    } catch (SQLException e) {
      return false; // no history table yet: a fresh database
    }
    return applied.equals(packaged);
  }

  /** File names of the versioned scripts under {@code db/migration/<schema>} on the classpath. */
  static Set<String> packagedScripts(String schema) {
    String dir = "db/migration/" + schema;
    URL url = SchemaMigrations.class.getClassLoader().getResource(dir);
    if (url == null) {
      return Set.of();
    }
    Set<String> names = new HashSet<>();
    try {
      if (url.getProtocol().equals("jar")) {
        JarURLConnection jar = (JarURLConnection) url.openConnection();
        jar.setUseCaches(true);
        for (var e : Collections.list(jar.getJarFile().entries())) {
          String n = e.getName();
          if (n.startsWith(dir + "/") && n.indexOf('/', dir.length() + 1) < 0) {
            names.add(n.substring(dir.length() + 1));
          }
        }
      } else if (url.getProtocol().equals("file")) {
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
          files.forEach(p -> names.add(p.getFileName().toString()));
        }
      } else {
        return Set.of();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      return Set.of();
    }
    names.removeIf(n -> !SCRIPT.matcher(n).matches());
    return names;
  }
}
