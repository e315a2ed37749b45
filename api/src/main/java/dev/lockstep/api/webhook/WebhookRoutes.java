package dev.lockstep.api.webhook;

import dev.lockstep.api.Ids;
import dev.lockstep.api.Pagination;
import dev.lockstep.api.Params;
import dev.lockstep.api.RequestBodies;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.ports.Mode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Webhook subscriptions and deliveries of the caller's tenant: {@code POST/GET /v1/webhooks},
 * {@code GET/POST /v1/webhooks/{id}} (read, update: url, events, enabled, description), {@code GET
 * /v1/webhooks/{id}/deliveries}, {@code POST /v1/webhooks/{id}/replay} (abandoned deliveries in a
 * time range), {@code GET /v1/webhook_deliveries/{id}} (with every attempt) and {@code POST
 * /v1/webhook_deliveries/{id}/replay}. Live servers accept only https endpoints.
 */
public final class WebhookRoutes {
  private final WebhookStore store;
  private final Mode mode;

  /**
   * @param mode the daemon's environment: {@code LIVE} accepts https URLs only
   */
  public WebhookRoutes(WebhookStore store, Mode mode) {
    this.store = store;
    this.mode = mode;
  }

  public void create(Context ctx) {
    var r = RequestBodies.read(ctx, WebhookRequests.Create.class);
    requireHttpsInLive("url", r.url());
    String secret = r.secret() != null ? r.secret() : Ids.random("whsec_", 32);
    ctx.status(201)
        .json(
            store.create(
                tenant(ctx),
                r.url(),
                r.events(),
                secret,
                Optional.ofNullable(r.description()),
                r.enabled() == null || r.enabled()));
  }

  public void list(Context ctx) {
    ctx.json(store.list(tenant(ctx), Pagination.of(ctx)));
  }

  public void get(Context ctx) {
    String id = ctx.pathParam("id");
    ctx.json(store.find(tenant(ctx), id).orElseThrow(() -> webhookNotFound(id)));
  }

  public void update(Context ctx) {
    String id = ctx.pathParam("id");
    var r = RequestBodies.read(ctx, WebhookRequests.Update.class);
    requireHttpsInLive("url", r.url());
    ctx.json(
        store
            .update(
                tenant(ctx),
                id,
                Optional.ofNullable(r.url()),
                Optional.ofNullable(r.events()),
                Optional.ofNullable(r.enabled()),
                Optional.ofNullable(r.description()))
            .orElseThrow(() -> webhookNotFound(id)));
  }

  public void deliveries(Context ctx) {
    String id = ctx.pathParam("id");
    String t = tenant(ctx);
    if (store.find(t, id).isEmpty()) {
      throw webhookNotFound(id);
    }
    Optional<DeliveryStatus> status = Params.optionalEnum(ctx, "status", DeliveryStatus.class);
    ctx.json(store.deliveries(t, Optional.of(id), status, Pagination.of(ctx)));
  }

  public void delivery(Context ctx) {
    String id = ctx.pathParam("id");
    ctx.json(store.delivery(tenant(ctx), id).orElseThrow(() -> deliveryNotFound(id)));
  }

  public void replay(Context ctx) {
    String id = ctx.pathParam("id");
    var r = RequestBodies.read(ctx, WebhookRequests.Replay.class);
    requireHttpsInLive("url", r.url());
    ctx.status(201)
        .json(
            store
                .replay(tenant(ctx), id, Optional.ofNullable(r.url()))
                .orElseThrow(() -> deliveryNotFound(id)));
  }

  /** Answers {@code {"object":"webhook_replay","replayed":n,"delivery_ids":[...]}}. */
  public void replayAbandoned(Context ctx) {
    String id = ctx.pathParam("id");
    var r = RequestBodies.read(ctx, WebhookRequests.ReplayAbandoned.class);
    requireHttpsInLive("url", r.url());
    List<String> ids =
        store
            .replayAbandoned(
                tenant(ctx),
                id,
                Instant.parse(r.from()),
                Instant.parse(r.to()),
                Optional.ofNullable(r.url()))
            .orElseThrow(() -> webhookNotFound(id));
    ctx.status(201)
        .json(Map.of("object", "webhook_replay", "replayed", ids.size(), "delivery_ids", ids));
  }

  /** A live subscription's (or replay's) URL must be https; {@code url} may be absent (null). */
  private void requireHttpsInLive(String field, String url) {
    if (url != null && mode == Mode.LIVE && !url.startsWith("https:")) {
      throw ApiException.invalidParam(
          field, "'" + field + "' must be an https URL for live webhooks");
    }
  }

  private static String tenant(Context ctx) {
    return Authenticator.keyOf(ctx).tenantId();
  }

  private static ApiException webhookNotFound(String id) {
    return new ApiException(
        ErrorCode.WEBHOOK_NOT_FOUND,
        "No webhook subscription '" + id + "'",
        Map.of("webhook_id", id));
  }

  private static ApiException deliveryNotFound(String id) {
    return new ApiException(
        ErrorCode.DELIVERY_NOT_FOUND,
        "No webhook delivery '" + id + "'",
        Map.of("delivery_id", id));
  }
}
