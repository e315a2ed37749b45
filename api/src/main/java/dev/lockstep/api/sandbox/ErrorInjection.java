package dev.lockstep.api.sandbox;

import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.ports.Mode;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sandbox's {@code X-Lockstep-Error: <code>} (reference platform-docs "Sandbox-only
 * conveniences": error injection): a mutating request carrying it fails deterministically with that
 * documented error, its status and its full body (the fields an integrator's handler reads, with
 * sample values: {@code insufficient_funds} carries {@code required_usdc}, {@code available_usdc}
 * and {@code shortfall_usdc}, {@code guardrail_triggered} its {@code limit}, ...), before the
 * request does anything. It runs after authentication, the rate limit and the Idempotency-Key
 * claim, so an injected answer is replayed for the same key like any other. Sandbox keys only; a
 * GET ignores it. An unknown code is {@code 400 invalid_request} listing the codes it takes.
 */
public final class ErrorInjection {
  /** The header. */
  public static final String HEADER = "X-Lockstep-Error";

  /**
   * Codes an integrator cannot meaningfully be sent (they describe the request pipeline itself).
   */
  private static final Set<ErrorCode> NOT_INJECTABLE =
      Set.of(ErrorCode.IDEMPOTENCY_IN_PROGRESS, ErrorCode.IDEMPOTENCY_MISMATCH);

  private final Clock clock;

  public ErrorInjection(Clock clock) {
    this.clock = clock;
  }

  /** Throws the injected error of a mutating sandbox request, if it names one. */
  public void apply(Context ctx) {
    String code = ctx.header(HEADER);
    if (code == null || ctx.method().name().equals("GET")) {
      return;
    }
    if (Authenticator.keyOf(ctx).mode() != Mode.TEST) {
      throw new ApiException(
          ErrorCode.SANDBOX_ONLY, HEADER + " injects errors in the sandbox only");
    }
    ErrorCode e =
        codeOf(code.trim())
            .orElseThrow(
                () ->
                    ApiException.invalidParam(
                        HEADER,
                        HEADER
                            + " must be a documented error code: "
                            + String.join(
                                ", ",
                                Arrays.stream(ErrorCode.values())
                                    .filter(c -> !NOT_INJECTABLE.contains(c))
                                    .map(ErrorCode::code)
                                    .toList())));
    Map<String, Object> fields = new LinkedHashMap<>(sampleFields(e));
    fields.put("injected", true);
    Object retryAfter = fields.get("retry_after_seconds");
    if (retryAfter != null) {
      ctx.header("Retry-After", retryAfter.toString());
    }
    throw new ApiException(e, "Injected by " + HEADER + ": " + e.title(), fields);
  }

  private static Optional<ErrorCode> codeOf(String code) {
    return Arrays.stream(ErrorCode.values())
        .filter(c -> c.code().equals(code) && !NOT_INJECTABLE.contains(c))
        .findFirst();
  }

  /** The fields the real error carries, with sample values. */
  private Map<String, Object> sampleFields(ErrorCode e) {
    return switch (e) {
      case INSUFFICIENT_FUNDS ->
          Map.of(
              "currency", "USDC",
              "required_usdc", "1874.200000",
              "available_usdc", "1000.000000",
              "shortfall_usdc", "874.200000");
      case INSUFFICIENT_POSITION ->
          Map.of(
              "asset", "AAPL",
              "required_quantity", "10.000000",
              "available_quantity", "4.000000",
              "shortfall_quantity", "6.000000");
      case GUARDRAIL_TRIGGERED ->
          Map.of(
              "limit", "mint_max_notional_per_address_per_block",
              "limit_value", "250000.000000",
              "current_value", "268420.500000",
              "retry_after_seconds", 12);
      case MARKET_CLOSED_NON_FRACTIONAL ->
          Map.of(
              "asset",
              "PCF",
              "venue",
              "private_credit",
              "next_session_at",
              clock.instant().plusSeconds(41_280).toString(),
              "seconds_until_session",
              41_280);
      case RATE_LIMITED -> Map.of("retry_after_seconds", 1, "limit_rps", 10_000);
      case ORDER_PENDING -> Map.of("retry_after_seconds", 2);
      case PRICE_UNAVAILABLE -> Map.of("ticker", "AAPL");
      case ORDER_REFUSED -> Map.of("reason", "OrderBookInvalidFees");
      case INVALID_REQUEST -> Map.of("param", "quantity");
      default -> Map.of();
    };
  }
}
