package dev.lockstep.sandbox;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts the production daemon's built {@code daemon/target/lockstep.jar} as its own process (so a
 * test can SIGKILL it), output to a log file.
 */
final class LockstepProcess {
  private LockstepProcess() {}

  /**
   * {@code java -jar ../daemon/target/lockstep.jar <command> --config <config>}, stdout and stderr
   * to {@code log}.
   */
  static Process start(String command, Path config, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-jar",
            Path.of("..", "daemon", "target", "lockstep.jar").toString(),
            command,
            "--config",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
