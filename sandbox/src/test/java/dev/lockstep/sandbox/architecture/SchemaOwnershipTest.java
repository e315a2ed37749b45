package dev.lockstep.sandbox.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each PostgreSQL schema is written only by its own module, and a module reads another's tables
 * only through that module's reader (README "Schema ownership"). Checked on the SQL text of every
 * production module's sources: a statement that names another module's table fails the build.
 */
class SchemaOwnershipTest {
  /** Module directory -> the schema it owns; modules not listed own none. */
  private static final Map<String, String> OWNER =
      Map.of("indexer", "indexer", "keeper", "keeper", "api", "api");

  private static final List<String> MODULES =
      List.of("indexer", "keeper", "api", "ports", "daemon", "sandbox");

  /** Any mention of a table of a module's schema: {@code indexer.orders}, {@code api.events}. */
  private static final Pattern TABLE =
      Pattern.compile(
          "\\b(INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|TRUNCATE|FROM|JOIN)\\s+"
              + "(indexer|keeper|api)\\.([a-z_]+)",
          Pattern.CASE_INSENSITIVE);

  @Test
  void everyModuleNamesOnlyTheTablesOfItsOwnSchema() {
    List<String> foreign = new ArrayList<>();
    for (String module : MODULES) {
      for (Path file : sources(module)) {
        Matcher m = TABLE.matcher(read(file));
        while (m.find()) {
          String schema = m.group(2).toLowerCase();
          if (!schema.equals(OWNER.get(module))) {
            foreign.add(module + ": " + file.getFileName() + ": " + m.group());
          }
        }
      }
    }
    assertThat(foreign).as("statements on another module's tables").isEmpty();
  }

  @Test
  void theCheckSeesEachModulesOwnStatements() {
    // A pattern that matched nothing would pass the rule above vacuously.
    for (String module : OWNER.keySet()) {
      long own =
          sources(module).stream()
              .map(SchemaOwnershipTest::read)
              .mapToLong(text -> TABLE.matcher(text).results().count())
              .sum();
      assertThat(own).as(module + " statements found").isGreaterThan(5);
    }
  }

  private static List<Path> sources(String module) {
    Path root = Path.of("..", module, "src", "main", "java");
    assertThat(root).as("sources of " + module).isDirectory();
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
