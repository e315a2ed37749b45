package dev.lockstep.api.event;

import java.util.List;

/**
 * Event-type patterns of webhook subscriptions and of {@code GET /v1/events?type=}: an exact type
 * ({@code redeem.settled}), a family ({@code redeem.*}, every type that starts with {@code
 * redeem.}) or everything ({@code *}).
 */
public final class EventPatterns {
  private EventPatterns() {}

  /** Whether event type {@code type} matches one of {@code patterns}. */
  public static boolean matches(List<String> patterns, String type) {
    for (String p : patterns) {
      if (p.equals("*")
          || p.equals(type)
          || (p.endsWith(".*") && type.startsWith(p.substring(0, p.length() - 1)))) {
        return true;
      }
    }
    return false;
  }
}
