package dev.lockstep.api.auth;

import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.ports.Mode;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Checks {@code Authorization: Bearer sk_(test|live)_...} on every /v1 request (reference
 * platform-docs "Authentication"): missing or unknown key is 401 {@code unauthorized}; a key of the
 * other environment is 403 {@code key_lacks_live_scope}; a {@code read} key on a non-GET call is
 * 403 {@code forbidden}.
 */
public final class Authenticator {
  private static final String ATTRIBUTE = "lockstep.api_key";

  private static final String SECRET_ATTRIBUTE = "lockstep.bearer_secret";
  private final ApiKeys keys;
  private final Mode serverMode;
  private final FailureLimits failures;

  /**
   * @param serverMode {@code TEST} for the sandbox, {@code LIVE} for production data
   * @param failures the per-address limit of failed authentications, applied before any lookup
   */
  public Authenticator(ApiKeys keys, Mode serverMode, FailureLimits failures) {
    this.keys = keys;
    this.serverMode = serverMode;
    this.failures = failures;
  }

  /** Authenticates the request or throws the matching {@link ApiException}. */
  public void check(Context ctx) {
    String header = ctx.header("Authorization");
    String secret = header == null ? null : bearer(header.trim());
    String address = ctx.ip();
    if (secret == null) {
      refuseIfSpent(ctx, address);
      failures.failed(address);
      throw new ApiException(
          ErrorCode.UNAUTHORIZED, "Send Authorization: Bearer sk_test_... (or sk_live_...)");
    }
    ApiKey key =
        keys.authenticate(secret, () -> refuseIfSpent(ctx, address))
            .orElseThrow(
                () -> {
                  failures.failed(address);
                  return new ApiException(ErrorCode.UNAUTHORIZED, "Unknown or revoked API key");
                });
    if (key.mode() != serverMode) {
      throw new ApiException(
          ErrorCode.KEY_LACKS_LIVE_SCOPE,
          "A "
              + key.mode().dbValue()
              + " key cannot be used against "
              + serverMode.dbValue()
              + " data; switch environment");
    }
    if (!ctx.method().name().equals("GET") && key.scope() != Scope.FULL) {
      throw new ApiException(
          ErrorCode.FORBIDDEN,
          "This key has scope '"
              + key.scope().dbValue()
              + "'; "
              + ctx.method()
              + " needs scope 'full'");
    }
    ctx.attribute(ATTRIBUTE, key);
    ctx.attribute(SECRET_ATTRIBUTE, secret);
  }

  /** 429 before any lookup when {@code address} has spent its failed authentications. */
  private void refuseIfSpent(Context ctx, String address) {
    long retryAfter = failures.retryAfterSeconds(address);
    if (retryAfter > 0) {
      ctx.header("Retry-After", Long.toString(retryAfter));
      throw new ApiException(
          ErrorCode.RATE_LIMITED,
          "Too many requests failing authentication from this address",
          Map.of("retry_after_seconds", retryAfter, "limit_rps", failures.perSecond()));
    }
  }

  /** The secret of {@code Bearer sk_(test|live)_<1-128 base-62>}, or null if malformed. */
  private static String bearer(String header) {
    if (!header.startsWith("Bearer sk_")) {
      return null;
    }
    String secret = header.substring(7);
    boolean prefix = secret.startsWith("sk_test_") || secret.startsWith("sk_live_");
    int n = secret.length() - 8;
    if (!prefix || n < 1 || n > 128) {
      return null;
    }
    for (int i = 8; i < secret.length(); i++) {
      char c = secret.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
        return null;
      }
    }
    return secret;
  }

  /**
   * The bearer secret {@link #check} accepted for this request: held in the request only, never
   * stored or logged (the idempotency store seals answers with it).
   */
  public static String bearerSecret(Context ctx) {
    return ctx.attribute(SECRET_ATTRIBUTE);
  }

  /** The key {@link #check} accepted for this request. */
  public static ApiKey keyOf(Context ctx) {
    return ctx.attribute(ATTRIBUTE);
  }
}
