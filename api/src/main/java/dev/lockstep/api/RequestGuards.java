package dev.lockstep.api;

import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks every /v1 request meets before any handler or query runs: query parameters and path ids
 * are at most {@link #MAX_PARAM} characters without control characters (PostgreSQL text cannot hold
 * NUL; no id or filter needs them), and a body's declared charset, if any, is UTF-8. The body is
 * read in full here, so the connection stays usable whatever the answer. Refusals are 400 {@code
 * invalid_request} naming the parameter, or 415.
 */
public final class RequestGuards {
  /** Longest accepted query-parameter value or path id. */
  public static final int MAX_PARAM = 2048;

  private RequestGuards() {}

  /**
   * Query parameters and the declared charset; also reads the body, whatever the route does with
   * it.
   */
  public static void check(Context ctx) {
    // Read every body up front (bounded by the server's request-size limit): a body left unread
    // makes the server close the connection after answering, and a client that already sent the
    // next request on it sees the connection reset instead of an answer.
    if (declaresBody(ctx)) {
      ctx.bodyAsBytes();
    }
    String contentType = ctx.header("Content-Type");
    if (contentType != null) {
      String lower = contentType.toLowerCase(Locale.ROOT);
      int at = lower.indexOf("charset=");
      if (at >= 0) {
        String charset = lower.substring(at + 8).split(";")[0].trim().replace("\"", "");
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          throw new ApiException(
              ErrorCode.UNSUPPORTED_MEDIA_TYPE,
              "Bodies are UTF-8 JSON; charset '" + charset + "' is not accepted");
        }
      }
    }
    for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
      checkValue(e.getKey(), e.getKey());
      for (String v : e.getValue()) {
        checkValue(e.getKey(), v);
      }
    }
  }

  /**
   * Whether the request carries a body (RFC 9112 section 6.3: a {@code Transfer-Encoding} or a
   * non-zero {@code Content-Length}); a request without one has nothing to read, so the read and
   * its buffer copy are skipped.
   */
  private static boolean declaresBody(Context ctx) {
    return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
  }

  /** Path parameters of the matched route. */
  public static void checkPathParams(Context ctx) {
    ctx.pathParamMap().forEach(RequestGuards::checkValue);
  }

  private static void checkValue(String name, String value) {
    if (value.length() > MAX_PARAM) {
      throw ApiException.invalidParam(
          safe(name), "'" + safe(name) + "' is longer than " + MAX_PARAM + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw ApiException.invalidParam(
            safe(name), "'" + safe(name) + "' contains a control character");
      }
    }
  }

  /** A parameter name fit to echo back: printable, at most 64 characters. */
  private static String safe(String name) {
    String printable = name.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 64 ? printable.substring(0, 64) : printable;
  }
}
