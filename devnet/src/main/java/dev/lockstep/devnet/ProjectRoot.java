package dev.lockstep.devnet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates the Lockstep checkout (the directory holding {@code package.json} and {@code
 * contracts/}).
 */
public final class ProjectRoot {
  private ProjectRoot() {}

  /**
   * The checkout root: {@code LOCKSTEP_HOME} if set, else the working directory or its nearest
   * parent that holds both {@code package.json} and {@code contracts/foundry.toml}.
   */
  public static Optional<Path> find() {
    String home = System.getenv("LOCKSTEP_HOME");
    if (home != null && !home.isBlank()) {
      return Optional.of(Path.of(home).toAbsolutePath());
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("package.json"))
          && Files.exists(p.resolve("contracts/foundry.toml"))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
