package dev.lockstep.api.sandbox;

import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.ports.Mode;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The clock the API answers with: the daemon's clock, shifted for the current request by the
 * sandbox's {@code X-Lockstep-Clock} header (reference platform-docs "Sandbox-only conveniences":
 * time travel "up to 30 days forward on a single request"). A request with {@code X-Lockstep-Clock:
 * +7d} is answered as if made seven days later: marks may be stale, quotes and challenges expired,
 * venues in another session. Only that request moves (the shift lives on the request's thread from
 * {@link #apply} to {@link #clear}); the daemon's other threads and the chains keep their time
 * ({@code POST /v1/sandbox/clock} moves those). Values: {@code +<n>d|h|m|s} or an ISO-8601 duration
 * ({@code P7D}), forward, at most 30 days; sandbox keys only.
 */
public final class RequestClock extends Clock {
  /** The header. */
  public static final String HEADER = "X-Lockstep-Clock";

  /** Where the shifted time is echoed on the answer. */
  public static final String NOW_HEADER = "X-Lockstep-Clock-Now";

  private static final Duration MAX = Duration.ofDays(30);
  private static final Pattern SHORT = Pattern.compile("\\+?(\\d{1,7})([dhms])");

  /** The current request's shift, on the thread serving it. */
  private final ThreadLocal<Duration> shift = new ThreadLocal<>();

  private final Clock base;

  public RequestClock(Clock base) {
    this.base = base;
  }

  /**
   * Shifts this thread's time by the request's {@code X-Lockstep-Clock}, if it has one (call after
   * authentication).
   *
   * @throws ApiException {@code 400 invalid_request} for a malformed, backward or too long shift,
   *     {@code 403 sandbox_only} for a live key
   */
  public void apply(Context ctx) {
    String value = ctx.header(HEADER);
    if (value == null) {
      return;
    }
    if (Authenticator.keyOf(ctx).mode() != Mode.TEST) {
      throw new ApiException(ErrorCode.SANDBOX_ONLY, HEADER + " moves the sandbox's time only");
    }
    Duration d = parse(value.trim());
    shift.set(d);
    ctx.header(NOW_HEADER, instant().toString());
  }

  /** Ends this thread's shift (at the end of every request, and before the next). */
  public void clear() {
    shift.remove();
  }

  static Duration parse(String value) {
    Duration d;
    Matcher m = SHORT.matcher(value.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
          };
    } else {
      try {
        d = Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw ApiException.invalidParam(
            HEADER, HEADER + " must be +<n>d, +<n>h, +<n>m, +<n>s or an ISO-8601 duration");
      }
    }
    if (d.isNegative() || d.compareTo(MAX) > 0) {
      throw ApiException.invalidParam(HEADER, HEADER + " moves forward, at most 30 days");
    }
    return d;
  }

  @Override
  public Instant instant() {
    Duration d = shift.get();
    return d == null ? base.instant() : base.instant().plus(d);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
