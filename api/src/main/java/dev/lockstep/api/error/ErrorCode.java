package dev.lockstep.api.error;

/**
 * Every error the API returns: stable machine code, HTTP status, title and whether the same request
 * may succeed on retry. Codes follow the catalog of reference/platform-docs.txt ("Full error
 * catalog"); {@code invalid_request}, {@code not_found}, {@code redeem_not_found} and {@code
 * redeem_not_cancellable} are Lockstep's own, for cases the catalog does not name.
 */
public enum ErrorCode {
  UNAUTHORIZED(401, "unauthorized", "Missing or malformed Bearer token", false),
  FORBIDDEN(403, "forbidden", "Key is valid but lacks scope for this resource", false),
  KEY_LACKS_LIVE_SCOPE(403, "key_lacks_live_scope", "Key environment does not match this server", false),
  INVALID_REQUEST(400, "invalid_request", "Invalid request parameter", false),
  NOT_FOUND(404, "not_found", "No such route", false),
  REDEEM_NOT_FOUND(404, "redeem_not_found", "No such redeem", false),
  REDEEM_NOT_CANCELLABLE(409, "redeem_not_cancellable", "Redeem can no longer be cancelled", false),
  INTERNAL_ERROR(500, "internal_error", "Internal error", true),
  SERVICE_UNAVAILABLE(503, "service_unavailable", "Service unavailable", true);

  private final int status;
  private final String code;
  private final String title;
  private final boolean retryable;

  ErrorCode(int status, String code, String title, boolean retryable) {
    this.status = status;
    this.code = code;
    this.title = title;
    this.retryable = retryable;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }

  public boolean retryable() {
    return retryable;
  }
}
