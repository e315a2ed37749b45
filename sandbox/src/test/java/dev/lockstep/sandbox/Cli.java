package dev.lockstep.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code lockstep} commands in-process, as an operator would from a shell. */
final class Cli {
  private Cli() {}

  /** Runs {@code args}; its output, asserting exit status 0. */
  static String run(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        dev.lockstep.daemon.Main.commandLine()
            .setOut(new java.io.PrintWriter(out))
            .setErr(new java.io.PrintWriter(err))
            .execute(args);
    assertThat(code).as(err.toString()).isZero();
    return out.toString();
  }
}
