package dev.lockstep.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C in a terminal: {@code scripts/lockstep} runs the sandbox as a terminal would (its own
 * process group, the group leader), and SIGINT goes to the whole group. The daemon stops its loops
 * and releases its leases first, then the chains and the database stop; the process exits within 10
 * s, with no ERROR line or stack trace, leaving no anvil or PostgreSQL process behind.
 */
class CleanStopIT {
  @Test
  void ctrlCStopsTheSandboxInOrderQuicklyAndQuietly() throws Exception {
    Path workDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "clean-stop-");
    Path log = workDir.resolve("sandbox.log");
    Process p =
        new ProcessBuilder(
                "setsid",
                // A job started in the background has SIGINT ignored, and an ignored signal stays
                // ignored across exec: perl restores the default, as a terminal's shell would.
                "perl",
                "-e",
                "$SIG{INT} = 'DEFAULT'; exec @ARGV or die",
                "bash",
                Path.of("..", "scripts", "lockstep").toString(),
                "--work-dir",
                workDir.toString())
            .redirectErrorStream(true)
            .start();
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                  if (line.startsWith("sandbox ready ")) {
                    ready.complete(line);
                  }
                }
              } catch (Exception e) {
                ready.completeExceptionally(e);
              }
              ready.completeExceptionally(new AssertionError("sandbox exited before ready"));
            });
    try {
      ready.get(180, TimeUnit.SECONDS);
      List<ProcessHandle> children = p.toHandle().descendants().toList();
      assertThat(children.stream().filter(c -> command(c).contains("anvil")).count())
          .as("three anvil nodes")
          .isEqualTo(3);
      assertThat(postgresOf(workDir)).as("the embedded PostgreSQL").isNotEmpty();

      long started = System.nanoTime();
      // As a terminal's Ctrl-C: SIGINT to the process group (setsid made the script its leader).
      new ProcessBuilder("kill", "-INT", "--", "-" + p.pid()).inheritIO().start().waitFor();
      boolean exited = p.waitFor(10, TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      Files.write(log, lines);
      assertThat(exited).as("exited within 10 s (output in " + log + ")").isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(took).isLessThan(Duration.ofSeconds(10));
      // Give the reader the last lines.
      Thread.sleep(200);
      List<String> output = List.copyOf(lines);
      assertThat(output).as("output").anyMatch(l -> l.contains("lockstep: stopped"));
      assertThat(output)
          .as("no ERROR line and no stack trace in " + log)
          .noneMatch(
              l -> l.contains(" ERROR ") || l.startsWith("\tat ") || l.contains("Exception in"));
      for (ProcessHandle c : children) {
        c.onExit().get(5, TimeUnit.SECONDS);
        assertThat(c.isAlive()).as("child " + c.pid() + " " + command(c)).isFalse();
      }
      assertThat(postgresOf(workDir)).as("PostgreSQL processes left").isEmpty();
    } finally {
      p.destroyForcibly();
      Files.write(log, lines);
    }
  }

  private static String command(ProcessHandle h) {
    return h.info().commandLine().orElse(h.info().command().orElse(""));
  }

  /** Live processes whose command line names {@code workDir} (the postmaster and its workers). */
  private static List<ProcessHandle> postgresOf(Path workDir) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(h -> command(h).contains("postgres") && command(h).contains(workDir.toString()))
        .toList();
  }
}
