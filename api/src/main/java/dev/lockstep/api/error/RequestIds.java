package dev.lockstep.api.error;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Gives each request a {@code req_...} id, echoed in {@code X-Request-Id} and in every problem
 * body.
 */
public final class RequestIds {
  private static final String ATTRIBUTE = "lockstep.request_id";
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestIds() {}

  /** A new request id. */
  public static String fresh() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "req_" + HexFormat.of().formatHex(b);
  }

  /** The request's id, assigned on first use. */
  public static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    if (id == null) {
      id = fresh();
      ctx.attribute(ATTRIBUTE, id);
      ctx.header("X-Request-Id", id);
    }
    return id;
  }
}
