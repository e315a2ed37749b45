package dev.lockstep.api.error;

import java.util.Map;

/**
 * An error answered as RFC 9457 {@code application/problem+json}; {@code fields} are the error's
 * own members (for example {@code param}) added to the standard ones.
 */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final Map<String, Object> fields;

  public ApiException(ErrorCode code, String detail, Map<String, Object> fields) {
    super(detail);
    this.code = code;
    this.fields = Map.copyOf(fields);
  }

  public ApiException(ErrorCode code, String detail) {
    this(code, detail, Map.of());
  }

  /** A 400 {@code invalid_request} naming the offending parameter. */
  public static ApiException invalidParam(String param, String detail) {
    return new ApiException(ErrorCode.INVALID_REQUEST, detail, Map.of("param", param));
  }

  public ErrorCode code() {
    return code;
  }

  public Map<String, Object> fields() {
    return fields;
  }
}
