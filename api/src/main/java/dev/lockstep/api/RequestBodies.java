package dev.lockstep.api;

import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import io.javalin.http.Context;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Strict JSON request bodies: snake_case fields bound to records, and every way a body can be wrong
 * answered as 400 {@code invalid_request} naming the parameter (its JSON path, such as {@code
 * attestation.signals[1]}): malformed JSON, trailing content, unknown fields, wrong types (no
 * coercion: {@code "10"} is not a number, {@code 10} is not a string, {@code 1.5} is not an
 * integer), and values a record's constructor refuses (absent fields arrive as null, and each
 * record's constructor says which are required). Bodies over {@link #MAX_BYTES} are 413.
 * Thread-safe.
 */
public final class RequestBodies {
  /** Largest accepted body: 64 KiB. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final JsonMapper STRICT =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(
              DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
              DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
              DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
              DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .withCoercionConfig(
              LogicalType.Boolean,
              c ->
                  c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
          .withCoercionConfig(
              LogicalType.Integer,
              c ->
                  c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
          .build();

  private RequestBodies() {}

  /**
   * The request's body as {@code type}; an empty body reads as {@code {}}.
   *
   * @throws ApiException {@code invalid_request} (400), {@code payload_too_large} (413) or {@code
   *     unsupported_media_type} (415)
   */
  public static <T> T read(Context ctx, Class<T> type) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_BYTES) {
      throw new ApiException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "Request body is " + body.length + " bytes; the limit is " + MAX_BYTES);
    }
    String contentType = ctx.header("Content-Type");
    if (body.length > 0
        && (contentType == null || !contentType.toLowerCase().startsWith("application/json"))) {
      throw new ApiException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as Content-Type: application/json");
    }
    return parse(body.length == 0 ? "{}".getBytes() : body, type);
  }

  /** Parses {@code json} as {@code type} with the rules above. */
  public static <T> T parse(byte[] json, Class<T> type) {
    try {
      T value = STRICT.readValue(json, type);
      if (value == null) {
        throw new ApiException(
            ErrorCode.INVALID_REQUEST, "The body must be a JSON object", Map.of("param", "body"));
      }
      return value;
    } catch (ValueInstantiationException e) {
      if (e.getCause() instanceof ApiException api) {
        throw api;
      }
      throw ApiException.invalidParam(
          param(e), "Invalid value for '" + param(e) + "': " + rootMessage(e));
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.invalidParam(param(e), "Unknown field '" + param(e) + "'");
    } catch (StreamReadException e) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST,
          "Malformed JSON: " + e.getOriginalMessage(),
          Map.of("param", "body"));
    } catch (JacksonException e) {
      String p = param(e);
      throw ApiException.invalidParam(
          p, "Invalid value for '" + p + "': " + e.getOriginalMessage());
    }
  }

  /** The JSON path of the failing value: {@code a.b[2].c}, or {@code body} for the whole body. */
  private static String param(JacksonException e) {
    StringBuilder b = new StringBuilder();
    for (JacksonException.Reference r : e.getPath()) {
      if (r.getPropertyName() != null) {
        if (!b.isEmpty()) {
          b.append('.');
        }
        b.append(r.getPropertyName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.isEmpty() ? "body" : b.toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
