package dev.lockstep.api.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A webhook subscription as the API shows it; the signing {@code secret} only in the answer that
 * created it.
 *
 * @param id {@code whk_...}
 * @param events patterns: an event type ({@code redeem.settled}), a family ({@code redeem.*}) or
 *     {@code *}
 */
public record Webhook(
    String id,
    String object,
    String url,
    List<String> events,
    boolean enabled,
    Optional<String> description,
    Instant createdAt,
    Instant updatedAt,
    Optional<String> secret) {

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
