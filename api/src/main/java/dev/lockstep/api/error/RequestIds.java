package dev.lockstep.api.error;

import io.javalin.http.Context;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives each request a {@code req_...} id, echoed in {@code X-Request-Id} and in every problem
 * body.
 */
public final class RequestIds {
  private static final String ATTRIBUTE = "lockstep.request_id";

  private RequestIds() {}

  /** A new request id. */
  public static String fresh() {
    // A request id names a request in logs and answers; it is no secret, so it needs no
    // SecureRandom (whose shared source every request thread would queue on).
    return "req_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
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
