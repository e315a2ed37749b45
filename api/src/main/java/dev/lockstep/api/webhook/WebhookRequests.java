package dev.lockstep.api.webhook;

import dev.lockstep.api.error.ApiException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Bodies of the webhook routes, validated on construction (400 {@code invalid_request} naming the
 * field).
 */
public final class WebhookRequests {
  private static final Pattern EVENT_PATTERN =
      Pattern.compile("\\*|[a-z_]{1,32}(\\.[a-z_]{1,32}){0,3}(\\.\\*)?");
  private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]{16,128}");
  private static final int MAX_URL = 2048;
  private static final int MAX_PATTERNS = 50;

  private WebhookRequests() {}

  /** POST /v1/webhooks. */
  public record Create(
      String url,
      List<String> events,
      @Nullable String secret,
      @Nullable String description,
      @Nullable Boolean enabled) {
    public Create {
      url = checkUrl("url", url);
      events = checkEvents("events", events);
      if (secret != null && !SECRET.matcher(secret).matches()) {
        throw ApiException.invalidParam(
            "secret", "'secret' must be 16-128 printable ASCII characters");
      }
      description = checkDescription(description);
    }
  }

  /** POST /v1/webhooks/{id}: the fields to change. */
  public record Update(
      @Nullable String url,
      @Nullable List<String> events,
      @Nullable Boolean enabled,
      @Nullable String description) {
    public Update {
      url = url == null ? null : checkUrl("url", url);
      events = events == null ? null : checkEvents("events", events);
      description = checkDescription(description);
    }
  }

  /** POST /v1/webhook_deliveries/{id}/replay: optionally to another URL. */
  public record Replay(@Nullable String url) {
    public Replay {
      url = url == null ? null : checkUrl("url", url);
    }
  }

  /** POST /v1/webhooks/{id}/replay: every abandoned delivery created in {@code [from, to)}. */
  public record ReplayAbandoned(String from, String to, @Nullable String url) {
    public ReplayAbandoned {
      Instant f = checkInstant("from", from);
      Instant t = checkInstant("to", to);
      if (!t.isAfter(f)) {
        throw ApiException.invalidParam("to", "'to' must be after 'from'");
      }
      url = url == null ? null : checkUrl("url", url);
    }
  }

  static String checkUrl(String field, String value) {
    if (value == null || value.length() > MAX_URL) {
      throw ApiException.invalidParam(
          field,
          "'"
              + field
              + "' is required: an absolute http(s) URL of at most "
              + MAX_URL
              + " characters");
    }
    try {
      URI u = new URI(value);
      if (!u.isAbsolute()
          || u.getHost() == null
          || !(u.getScheme().equals("https") || u.getScheme().equals("http"))
          || u.getUserInfo() != null) {
        throw new IllegalArgumentException();
      }
      return u.toString();
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw ApiException.invalidParam(
          field, "'" + field + "' must be an absolute http(s) URL without credentials");
    }
  }

  private static List<String> checkEvents(String field, List<String> events) {
    if (events == null || events.isEmpty() || events.size() > MAX_PATTERNS) {
      throw ApiException.invalidParam(
          field,
          "'"
              + field
              + "' needs 1-"
              + MAX_PATTERNS
              + " event patterns such as \"redeem.*\" or \"redeem.settled\"");
    }
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) == null || !EVENT_PATTERN.matcher(events.get(i)).matches()) {
        throw ApiException.invalidParam(
            field + "[" + i + "]",
            "'"
                + field
                + "["
                + i
                + "]' must be an event type "
                + "(\"redeem.settled\"), a family (\"redeem.*\") or \"*\"");
      }
    }
    return List.copyOf(events);
  }

  private static String checkDescription(String d) {
    if (d != null && (d.length() > 256 || d.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
      throw ApiException.invalidParam(
          "description",
          "'description' is at most 256 characters, without control " + "characters");
    }
    return d;
  }

  static Instant checkInstant(String field, String value) {
    if (value == null) {
      throw ApiException.invalidParam(
          field, "'" + field + "' is required: an ISO-8601 UTC timestamp");
    }
    try {
      return Instant.parse(value);
    } catch (RuntimeException e) {
      throw ApiException.invalidParam(
          field,
          "'" + field + "' must be an ISO-8601 UTC timestamp such as " + "2026-04-19T10:22:00Z");
    }
  }
}
