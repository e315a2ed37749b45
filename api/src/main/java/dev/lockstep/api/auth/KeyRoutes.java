package dev.lockstep.api.auth;

import dev.lockstep.api.Pagination;
import dev.lockstep.api.RequestBodies;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Self-service key administration for the caller's tenant: {@code GET /v1/api_keys}, {@code POST
 * /v1/api_keys} (a key of the caller's environment), {@code POST /v1/api_keys/{id}/rotate} (the old
 * key keeps working five minutes) and {@code POST /v1/api_keys/{id}/revoke} (immediate). Secrets
 * appear only in the answers that create them.
 */
public final class KeyRoutes {
  private final ApiKeys keys;

  public KeyRoutes(ApiKeys keys) {
    this.keys = keys;
  }

  /** Body of POST /v1/api_keys; {@code scope} is {@code full} or {@code read}. */
  public record CreateKey(String scope) {
    public CreateKey {
      if (scope == null || !(scope.equals("full") || scope.equals("read"))) {
        throw ApiException.invalidParam("scope", "'scope' must be 'full' or 'read'");
      }
    }

    /** The validated scope. */
    Scope toScope() {
      return scope.equals("full") ? Scope.FULL : Scope.READ;
    }
  }

  public void list(Context ctx) {
    ctx.json(keys.list(Authenticator.keyOf(ctx).tenantId(), Pagination.of(ctx)));
  }

  public void create(Context ctx) {
    ApiKey caller = Authenticator.keyOf(ctx);
    CreateKey body = RequestBodies.read(ctx, CreateKey.class);
    ctx.status(201).json(keys.createFor(caller.tenantId(), caller.mode(), body.toScope()));
  }

  public void rotate(Context ctx) {
    String id = ctx.pathParam("id");
    try {
      ctx.status(201)
          .json(
              keys.rotate(Authenticator.keyOf(ctx).tenantId(), id).orElseThrow(() -> notFound(id)));
    } catch (IllegalStateException e) {
      throw new ApiException(
          ErrorCode.API_KEY_NOT_ROTATABLE,
          "Key '"
              + id
              + "' is revoked, expiring or already "
              + "rotated; rotate its successor instead",
          Map.of("api_key_id", id));
    }
  }

  public void revoke(Context ctx) {
    String id = ctx.pathParam("id");
    ctx.json(keys.revoke(Authenticator.keyOf(ctx).tenantId(), id).orElseThrow(() -> notFound(id)));
  }

  private static ApiException notFound(String id) {
    return new ApiException(
        ErrorCode.API_KEY_NOT_FOUND, "No API key '" + id + "'", Map.of("api_key_id", id));
  }
}
