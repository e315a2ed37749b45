package dev.lockstep.api.error;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem+json for the errors the HTTP server answers before a request reaches the API (a request
 * line or headers too long, a malformed request): Jetty's HTML error pages replaced by the same RFC
 * 9457 body every other error has.
 */
public final class JettyProblems extends ErrorHandler {
  private final JsonMapper json;

  public JettyProblems(JsonMapper json) {
    this.json = json;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/problem+json");
    return ByteBuffer.wrap(body(status, reason, "/"));
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = request.getAttribute(ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
    Object message = request.getAttribute(ERROR_MESSAGE);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
    response.write(
        true,
        ByteBuffer.wrap(
            body(
                status,
                message == null ? null : message.toString(),
                request.getHttpURI().getPath())),
        callback);
    return true;
  }

  private byte[] body(int status, String reason, String instance) {
    ErrorCode code =
        switch (status) {
          case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
          case 414 -> ErrorCode.URI_TOO_LONG;
          case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
          case 431 -> ErrorCode.HEADERS_TOO_LARGE;
          case 404 -> ErrorCode.NOT_FOUND;
          case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
          default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_REQUEST;
        };
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("type", Problems.TYPE_BASE + code.code());
    b.put("title", code.title());
    b.put("status", status);
    b.put("detail", reason == null || reason.isBlank() ? code.title() : reason);
    b.put("instance", instance == null ? "/" : instance);
    b.put("request_id", RequestIds.fresh());
    b.put("code", code.code());
    b.put("retryable", code.retryable());
    return json.writeValueAsString(b).getBytes(StandardCharsets.UTF_8);
  }
}
