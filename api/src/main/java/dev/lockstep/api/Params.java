package dev.lockstep.api;

import dev.lockstep.api.error.ApiException;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/** Query-parameter parsing that answers 400 {@code invalid_request} naming the parameter. */
public final class Params {
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  private Params() {}

  /** Required EVM address parameter, lowercased. */
  public static String address(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      throw ApiException.invalidParam(name, "Query parameter '" + name + "' is required");
    }
    if (!ADDRESS.matcher(v).matches()) {
      throw ApiException.invalidParam(name, "'" + name + "' must be a 0x-prefixed 20-byte hex address");
    }
    return v.toLowerCase();
  }

  /** {@code limit}: 1-100, default 25. */
  public static int limit(Context ctx) {
    String v = ctx.queryParam("limit");
    if (v == null) {
      return 25;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= 100) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw ApiException.invalidParam("limit", "'limit' must be an integer from 1 to 100");
  }
}
