package dev.lockstep.api.error;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes errors as RFC 9457 problem details with Lockstep's extensions: {@code type}, {@code
 * title}, {@code status}, {@code detail}, {@code instance}, {@code request_id}, {@code code},
 * {@code retryable}, then the error's own fields.
 */
public final class Problems {
  /** Base of each error's {@code type} URI; the code is appended. */
  public static final String TYPE_BASE = "https://docs.lockstep.dev/errors/";

  private final JsonMapper json;

  public Problems(JsonMapper json) {
    this.json = json;
  }

  /** Answers {@code ctx} with the problem for {@code e}. */
  public void write(Context ctx, ApiException e) {
    ErrorCode c = e.code();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_BASE + c.code());
    body.put("title", c.title());
    body.put("status", c.status());
    body.put("detail", e.getMessage());
    body.put("instance", ctx.path());
    body.put("request_id", RequestIds.of(ctx));
    body.put("code", c.code());
    body.put("retryable", c.retryable());
    body.putAll(e.fields());
    ctx.status(c.status())
        .contentType("application/problem+json")
        .result(json.writeValueAsString(body));
  }
}
