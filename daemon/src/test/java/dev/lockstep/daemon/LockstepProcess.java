package dev.lockstep.daemon;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts the built {@code target/lockstep.jar} as its own process (so a test can SIGKILL it),
 * output to a log file.
 */
final class LockstepProcess {
  private LockstepProcess() {}

  /**
   * {@code java -jar target/lockstep.jar <command> --config <config>}, stdout and stderr to {@code
   * log}.
   */
  static Process start(String command, Path config, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-jar",
            Path.of("target", "lockstep.jar").toString(),
            command,
            "--config",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
