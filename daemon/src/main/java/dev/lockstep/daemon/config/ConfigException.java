package dev.lockstep.daemon.config;

import java.util.List;

/**
 * A configuration that cannot be used: every problem found, one line each ({@code key: what is
 * wrong; e.g. an example}), so an operator fixes them all in one pass.
 */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(String source, List<String> problems) {
    super(source + ": " + problems.size() + " problem(s): " + String.join(" | ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem. */
  public List<String> problems() {
    return problems;
  }
}
