package dev.lockstep.api.auth;

import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.ports.Mode;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * Checks {@code Authorization: Bearer sk_(test|live)_...} on every /v1 request (reference
 * platform-docs "Authentication"): missing or unknown key is 401 {@code unauthorized}; a key of the
 * other environment is 403 {@code key_lacks_live_scope}; a {@code read} key on a non-GET call is
 * 403 {@code forbidden}.
 */
public final class Authenticator {
  private static final String ATTRIBUTE = "lockstep.api_key";
  private static final Pattern BEARER =
      Pattern.compile("Bearer (sk_(test|live)_[0-9A-Za-z]{1,128})");

  private static final String SECRET_ATTRIBUTE = "lockstep.bearer_secret";
  private final ApiKeys keys;
  private final Mode serverMode;

  /**
   * @param serverMode {@code TEST} for the sandbox, {@code LIVE} for production data
   */
  public Authenticator(ApiKeys keys, Mode serverMode) {
    this.keys = keys;
    this.serverMode = serverMode;
  }

  /** Authenticates the request or throws the matching {@link ApiException}. */
  public void check(Context ctx) {
    String header = ctx.header("Authorization");
    var m = header == null ? null : BEARER.matcher(header.trim());
    if (m == null || !m.matches()) {
      throw new ApiException(
          ErrorCode.UNAUTHORIZED, "Send Authorization: Bearer sk_test_... (or sk_live_...)");
    }
    ApiKey key =
        keys.authenticate(m.group(1))
            .orElseThrow(
                () -> new ApiException(ErrorCode.UNAUTHORIZED, "Unknown or revoked API key"));
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
    ctx.attribute(SECRET_ATTRIBUTE, m.group(1));
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
