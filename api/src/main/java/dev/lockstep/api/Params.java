package dev.lockstep.api;

import dev.lockstep.api.error.ApiException;
import dev.lockstep.indexer.model.StoredEnum;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Query-parameter parsing that answers 400 {@code invalid_request} naming the parameter. */
public final class Params {
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern SIGNATURE = Pattern.compile("0x(?:[0-9a-fA-F]{2}){1,4096}");

  /**
   * Required signature {@code value} of body field {@code name}: 0x-hex bytes (65 for an EOA, r ||
   * s || v; any length up to 4,096 bytes for an ERC-1271 wallet).
   */
  public static byte[] signature(String name, @org.jspecify.annotations.Nullable String value) {
    if (value == null || !SIGNATURE.matcher(value).matches()) {
      throw ApiException.invalidParam(
          name, "'" + name + "' must be 0x-prefixed hex bytes (65 for an EOA: r || s || v)");
    }
    return org.web3j.utils.Numeric.hexStringToByteArray(value);
  }

  private static final Pattern DECIMAL = Pattern.compile("\\d{1,30}(\\.\\d{1,18})?");

  private Params() {}

  /** Required EVM address query parameter, lowercased. */
  public static String address(Context ctx, String name) {
    return address(name, ctx.queryParam(name));
  }

  /** Required EVM address {@code value} of parameter {@code name}, lowercased. */
  public static String address(String name, String value) {
    if (value == null || value.isBlank()) {
      throw ApiException.invalidParam(name, "'" + name + "' is required");
    }
    if (!ADDRESS.matcher(value).matches()) {
      throw ApiException.invalidParam(
          name, "'" + name + "' must be a 0x-prefixed 20-byte hex address");
    }
    return value.toLowerCase();
  }

  /** Optional EVM address query parameter, lowercased. */
  public static Optional<String> optionalAddress(Context ctx, String name) {
    return Optional.ofNullable(ctx.queryParam(name)).map(v -> address(name, v));
  }

  /**
   * Optional ISO-8601 instant query parameter ({@code 2026-01-01T00:00:00Z}; a bare date means its
   * start, UTC).
   */
  public static Optional<Instant> optionalInstant(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          v.length() == 10
              ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant()
              : Instant.parse(v));
    } catch (RuntimeException e) {
      throw ApiException.invalidParam(
          name, "'" + name + "' must be an ISO-8601 date or UTC timestamp");
    }
  }

  /**
   * Optional non-negative decimal query parameter ({@code "250000"}, {@code "0.5"}); never a float.
   */
  public static Optional<BigDecimal> optionalDecimal(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!DECIMAL.matcher(v).matches()) {
      throw ApiException.invalidParam(
          name, "'" + name + "' must be a non-negative decimal string, such as 250000.00");
    }
    return Optional.of(new BigDecimal(v));
  }

  /** Optional query parameter that must be one of {@code allowed}. */
  public static Optional<String> optionalOneOf(Context ctx, String name, Set<String> allowed) {
    String v = ctx.queryParam(name);
    if (v != null && !allowed.contains(v)) {
      throw ApiException.invalidParam(
          name, "'" + name + "' must be one of " + allowed.stream().sorted().toList());
    }
    return Optional.ofNullable(v);
  }

  /**
   * An optional query parameter naming a constant of {@code type} in its stored (lowercase) form.
   *
   * @throws ApiException {@code invalid_parameter} naming the allowed values
   */
  public static <E extends Enum<E> & StoredEnum> Optional<E> optionalEnum(
      Context ctx, String name, Class<E> type) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return Optional.empty();
    }
    for (E e : type.getEnumConstants()) {
      if (e.dbValue().equals(v)) {
        return Optional.of(e);
      }
    }
    throw ApiException.invalidParam(
        name,
        "'"
            + name
            + "' must be one of "
            + java.util.Arrays.stream(type.getEnumConstants()).map(StoredEnum::dbValue).toList());
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
