package dev.lockstep.api;

import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.auth.KeyRoutes;
import dev.lockstep.api.catalog.CatalogRoutes;
import dev.lockstep.api.catalog.VenueRoutes;
import dev.lockstep.api.customer.CustomerRoutes;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.api.error.JettyProblems;
import dev.lockstep.api.error.Problems;
import dev.lockstep.api.error.RequestIds;
import dev.lockstep.api.event.EventRoutes;
import dev.lockstep.api.idempotency.Idempotency;
import dev.lockstep.api.order.OrderApi;
import dev.lockstep.api.ratelimit.RateLimits;
import dev.lockstep.api.sandbox.ErrorInjection;
import dev.lockstep.api.sandbox.RequestClock;
import dev.lockstep.api.sandbox.SandboxClockRoutes;
import dev.lockstep.api.sandbox.SandboxReset;
import dev.lockstep.api.wallet.SettlementWalletRoutes;
import dev.lockstep.api.wallet.WalletLinkRoutes;
import dev.lockstep.api.webhook.WebhookRoutes;
import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson3;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The integrator-facing HTTP server: the /v1 REST surface and {@code /health} (and {@code /metrics}
 * unless a management port serves it, {@link ManagementServer}). Every /v1 request passes, in
 * order: a request id, Bearer authentication, the key's rate limit, the sandbox's request-scoped
 * clock ({@link RequestClock}), for a POST the Idempotency-Key check, and the sandbox's injected
 * errors ({@link ErrorInjection}); errors of every kind are answered as RFC 9457 problem+json. JSON
 * fields are snake_case; timestamps ISO-8601 UTC; absent optional fields are omitted. The routes
 * are one table ({@link #ROUTES}), which the OpenAPI document describes.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /** One /v1 operation and the handler serving it. */
  public record Route(HandlerType method, String path, Function<Parts, Handler> handler) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** Every /v1 operation served, in documentation order. */
  public static final List<Route> ROUTES =
      List.of(
          new Route(HandlerType.GET, "/v1/chains", p -> p.catalog()::chains),
          new Route(HandlerType.GET, "/v1/tokens", p -> p.catalog()::tokens),
          new Route(HandlerType.GET, "/v1/tokens/{ticker}", p -> p.catalog()::token),
          new Route(
              HandlerType.POST,
              "/v1/tokens/{ticker}/ensure_deployed",
              p -> p.catalog()::ensureDeployed),
          new Route(HandlerType.GET, "/v1/venues", p -> p.venues()::list),
          new Route(HandlerType.GET, "/v1/venues/{id}", p -> p.venues()::get),
          new Route(HandlerType.GET, "/v1/venues/{id}/sessions", p -> p.venues()::sessions),
          new Route(HandlerType.GET, "/v1/positions", p -> p.catalog()::positions),
          new Route(HandlerType.GET, "/v1/positions/{ticker}", p -> p.catalog()::position),
          new Route(HandlerType.POST, "/v1/quotes", p -> p.orders().quotes()::create),
          new Route(HandlerType.POST, "/v1/mints", p -> p.orders().mints()::create),
          new Route(HandlerType.GET, "/v1/mints", p -> p.orders().mints()::list),
          new Route(HandlerType.GET, "/v1/mints/{id}", p -> p.orders().mints()::get),
          new Route(HandlerType.POST, "/v1/redeems", p -> p.orders().redeems()::create),
          new Route(HandlerType.GET, "/v1/redeems", p -> p.orders().redeems()::list),
          new Route(HandlerType.GET, "/v1/redeems/{id}", p -> p.orders().redeems()::get),
          new Route(HandlerType.POST, "/v1/redeems/{id}/cancel", p -> p.orders().redeems()::cancel),
          new Route(HandlerType.POST, "/v1/orders/{id}/cancel", p -> p.orders().cancels()::cancel),
          new Route(HandlerType.GET, "/v1/fees", p -> p.orders().fees()::balance),
          new Route(HandlerType.POST, "/v1/fees/settle", p -> p.orders().fees()::settle),
          new Route(HandlerType.GET, "/v1/ledger/entries", p -> p.orders().ledger()::entries),
          new Route(
              HandlerType.GET, "/v1/reconciliation/daily", p -> p.orders().reconciliation()::daily),
          new Route(
              HandlerType.GET,
              "/v1/ledger/accounts/{id}/balance",
              p -> p.orders().ledger()::balance),
          new Route(
              HandlerType.POST,
              "/v1/ledger/calculate-settlement",
              p -> p.orders().ledger()::calculateSettlement),
          new Route(HandlerType.GET, "/v1/customers", p -> p.customers()::list),
          new Route(HandlerType.POST, "/v1/customers", p -> p.customers()::upsert),
          new Route(HandlerType.GET, "/v1/customers/{id}", p -> p.customers()::get),
          new Route(HandlerType.GET, "/v1/settlement_wallets", p -> p.wallets()::list),
          new Route(HandlerType.POST, "/v1/wallet_challenges", p -> p.walletLinks()::challenge),
          new Route(HandlerType.POST, "/v1/wallet_links", p -> p.walletLinks()::prove),
          new Route(HandlerType.GET, "/v1/wallet_links", p -> p.walletLinks()::list),
          new Route(HandlerType.GET, "/v1/wallet_links/{wallet}", p -> p.walletLinks()::get),
          new Route(HandlerType.POST, "/v1/sandbox/faucet", p -> p.wallets()::faucet),
          new Route(HandlerType.POST, "/v1/sandbox/payout_pool", p -> p.wallets()::payoutPool),
          new Route(HandlerType.GET, "/v1/sandbox/clock", p -> p.sandboxClock()::get),
          new Route(HandlerType.POST, "/v1/sandbox/reset", p -> p.sandboxReset()::reset),
          new Route(HandlerType.POST, "/v1/sandbox/clock", p -> p.sandboxClock()::advance),
          new Route(HandlerType.GET, "/v1/events", p -> p.events()::list),
          new Route(HandlerType.GET, "/v1/events/{id}", p -> p.events()::get),
          new Route(HandlerType.GET, "/v1/webhooks", p -> p.webhooks()::list),
          new Route(HandlerType.POST, "/v1/webhooks", p -> p.webhooks()::create),
          new Route(HandlerType.GET, "/v1/webhooks/{id}", p -> p.webhooks()::get),
          new Route(HandlerType.POST, "/v1/webhooks/{id}", p -> p.webhooks()::update),
          new Route(HandlerType.GET, "/v1/webhooks/{id}/deliveries", p -> p.webhooks()::deliveries),
          new Route(
              HandlerType.POST, "/v1/webhooks/{id}/replay", p -> p.webhooks()::replayAbandoned),
          new Route(HandlerType.GET, "/v1/webhook_deliveries/{id}", p -> p.webhooks()::delivery),
          new Route(
              HandlerType.POST, "/v1/webhook_deliveries/{id}/replay", p -> p.webhooks()::replay),
          new Route(HandlerType.GET, "/v1/api_keys", p -> p.keys()::list),
          new Route(HandlerType.POST, "/v1/api_keys", p -> p.keys()::create),
          new Route(HandlerType.POST, "/v1/api_keys/{id}/rotate", p -> p.keys()::rotate),
          new Route(HandlerType.POST, "/v1/api_keys/{id}/revoke", p -> p.keys()::revoke));

  /** The route handlers and the request pipeline. */
  public record Parts(
      Authenticator auth,
      RateLimits rateLimits,
      Idempotency idempotency,
      CatalogRoutes catalog,
      VenueRoutes venues,
      OrderApi orders,
      CustomerRoutes customers,
      EventRoutes events,
      WebhookRoutes webhooks,
      KeyRoutes keys,
      SettlementWalletRoutes wallets,
      WalletLinkRoutes walletLinks,
      SandboxClockRoutes sandboxClock,
      RequestClock clock,
      ErrorInjection errors,
      SandboxReset sandboxReset) {}

  private final Javalin app;

  /**
   * @param management what {@code /health} (always served here too, for load balancers) and {@code
   *     /metrics} report
   * @param metricsHere whether {@code /metrics} is served on this port (false when the daemon has a
   *     management port of its own)
   */
  public ApiServer(Parts parts, ManagementServer.Sources management, boolean metricsHere) {
    JsonMapper json = jsonMapper();
    Problems problems = new Problems(json);
    String openApi = OpenApiDocument.render(json);
    String docs = OpenApiDocument.html();
    this.app =
        Javalin.create(
            cfg -> {
              cfg.jsonMapper(new JavalinJackson3(json, false));
              cfg.startup.showJavalinBanner = false;
              cfg.http.maxRequestSize = RequestBodies.MAX_BYTES;
              cfg.jetty.modifyServer(server -> server.setErrorHandler(new JettyProblems(json)));
              cfg.routes.before(
                  ctx -> {
                    parts.clock().clear(); // a shift never outlives its request
                    RequestIds.of(ctx);
                  });
              cfg.routes.before(
                  "/v1/*",
                  ctx -> {
                    RequestGuards.check(ctx);
                    if (!ctx.path().equals("/v1/openapi.json")) {
                      parts.auth().check(ctx);
                      parts.rateLimits().check(ctx);
                      parts.clock().apply(ctx);
                      parts.idempotency().before(ctx);
                      if (!Idempotency.replayed(ctx)) {
                        parts.errors().apply(ctx);
                      }
                    }
                  });
              cfg.routes.after("/v1/*", parts.idempotency()::after);
              cfg.routes.after(ctx -> parts.clock().clear());
              for (Route r : ROUTES) {
                Handler handler = r.handler().apply(parts);
                cfg.routes.addHttpHandler(
                    r.method(),
                    r.path(),
                    ctx -> {
                      RequestGuards.checkPathParams(ctx);
                      handler.handle(ctx);
                    });
              }
              cfg.routes.get(
                  "/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
              cfg.routes.get("/docs", ctx -> ctx.html(docs));
              ManagementServer.routes(cfg, management, metricsHere);
              cfg.routes.exception(ApiException.class, (e, ctx) -> problems.write(ctx, e));
              cfg.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    log.error(
                        "unhandled error on {} {} request_id={}",
                        ctx.method(),
                        ctx.path(),
                        RequestIds.of(ctx),
                        e);
                    problems.write(
                        ctx,
                        new ApiException(
                            ErrorCode.INTERNAL_ERROR,
                            "Internal error; retry with the same request"));
                  });
              cfg.routes.error(
                  404,
                  ctx -> {
                    if (!"application/problem+json".equals(ctx.res().getContentType())) {
                      problems.write(
                          ctx,
                          new ApiException(
                              ErrorCode.NOT_FOUND, "No route " + ctx.method() + " " + ctx.path()));
                    }
                  });
              cfg.routes.error(
                  405,
                  ctx ->
                      problems.write(
                          ctx,
                          new ApiException(
                              ErrorCode.METHOD_NOT_ALLOWED,
                              "Method " + ctx.method() + " is not allowed on " + ctx.path())));
              cfg.routes.error(
                  413,
                  ctx ->
                      problems.write(
                          ctx,
                          new ApiException(
                              ErrorCode.PAYLOAD_TOO_LARGE,
                              "Request body over " + RequestBodies.MAX_BYTES + " bytes")));
            });
  }

  /**
   * The JSON mapper of the API: snake_case properties, ISO-8601 instants, absent Optionals omitted.
   */
  public static JsonMapper jsonMapper() {
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        // Closed vocabularies (order and sync status, ...) are shown as their stored text.
        .enable(tools.jackson.databind.cfg.EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
        // ... and read back so (a stored quote).
        .enable(tools.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .changeDefaultPropertyInclusion(
            i ->
                i.withValueInclusion(
                    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_ABSENT))
        .build();
  }

  /**
   * Starts listening on {@code host:port} (port 0 picks a free one).
   *
   * @return the port
   */
  public int start(String host, int port) {
    app.start(host, port);
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
