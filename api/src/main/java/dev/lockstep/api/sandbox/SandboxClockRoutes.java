package dev.lockstep.api.sandbox;

import dev.lockstep.api.ChainNames;
import dev.lockstep.api.RequestBodies;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.ports.Mode;
import dev.lockstep.ports.SandboxTime;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /v1/sandbox/clock} and {@code POST /v1/sandbox/clock {"advance": "P2D"}}: the
 * sandbox's time travel (reference platform-docs "Sandbox-only conveniences"). Moving the clock
 * moves the whole sandbox, the daemon and every chain's block time, so venue sessions open, the
 * broker's legs clear and expiries pass. Sandbox keys only ({@code 403 sandbox_only}); forward
 * only, at most 30 days a call.
 */
public final class SandboxClockRoutes {
  private final Optional<SandboxTime> time;
  private final ChainNames chains;

  /**
   * @param time the daemon's time travel; empty on a daemon whose clock cannot move (live, or a
   *     sandbox on a fixed clock)
   */
  public SandboxClockRoutes(Optional<SandboxTime> time, ChainNames chains) {
    this.time = time;
    this.chains = chains;
  }

  /**
   * {@code POST /v1/sandbox/clock}: how far to move, an ISO-8601 duration ({@code PT6H}, {@code
   * P2D}).
   */
  public record ClockRequest(@Nullable String advance) {}

  /**
   * The sandbox's time.
   *
   * @param now the daemon's time
   * @param offset how far it runs ahead of the real time (ISO-8601 duration)
   * @param chains each chain's latest block and its timestamp
   */
  public record Clock(String object, Instant now, String offset, List<ChainTime> chains) {}

  /** A chain's latest block. */
  public record ChainTime(String chain, long chainId, long blockNumber, Instant blockTimestamp) {}

  public void get(Context ctx) {
    ctx.json(view(control(ctx).now()));
  }

  public void advance(Context ctx) {
    SandboxTime t = control(ctx);
    ClockRequest r = RequestBodies.read(ctx, ClockRequest.class);
    if (r.advance() == null) {
      throw ApiException.invalidParam("advance", "'advance' is required, e.g. \"P2D\" or \"PT6H\"");
    }
    Duration by;
    try {
      by = Duration.parse(r.advance());
    } catch (DateTimeParseException e) {
      throw ApiException.invalidParam(
          "advance", "'advance' must be an ISO-8601 duration, e.g. \"P2D\" or \"PT6H\"");
    }
    if (by.isNegative() || by.isZero() || by.compareTo(SandboxTime.MAX_ADVANCE) > 0) {
      throw ApiException.invalidParam(
          "advance", "'advance' must move the clock forward by at most 30 days (P30D)");
    }
    ctx.json(view(t.advance(by)));
  }

  private SandboxTime control(Context ctx) {
    if (Authenticator.keyOf(ctx).mode() != Mode.TEST) {
      throw new ApiException(ErrorCode.SANDBOX_ONLY, "Only the sandbox's clock can be moved");
    }
    return time.orElseThrow(
        () ->
            new ApiException(
                ErrorCode.SANDBOX_ONLY, "This daemon runs on a clock that cannot be moved"));
  }

  private Clock view(SandboxTime.Now n) {
    return new Clock(
        "sandbox_clock",
        n.now(),
        n.offset().toString(),
        n.chains().stream()
            .map(
                c ->
                    new ChainTime(
                        chains.name(c.chainId()), c.chainId(), c.blockNumber(), c.blockTimestamp()))
            .toList());
  }
}
