package dev.lockstep.api;

import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.catalog.CatalogRoutes;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.api.error.Problems;
import dev.lockstep.api.error.RequestIds;
import dev.lockstep.api.redeem.RedeemRoutes;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson3;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.lockstep.indexer.sync.ChainHealth;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP server: the /v1 REST surface (Bearer-authenticated, errors as problem+json), {@code
 * /metrics} in Prometheus text format and {@code /health}. JSON fields are snake_case; timestamps
 * ISO-8601 UTC; absent optional fields are omitted.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private final Javalin app;

  /**
   * @param healthy whether the daemon's parts are running (answers /health with 503 when not)
   * @param chains every chain's sync state, reported by /health ({@code degraded} while one is
   *     stalled or halted)
   */
  public ApiServer(Authenticator auth, CatalogRoutes catalog, RedeemRoutes redeems,
      PrometheusMeterRegistry metrics, BooleanSupplier healthy, Supplier<List<ChainHealth>> chains) {
    JsonMapper json = jsonMapper();
    Problems problems = new Problems(json);
    this.app = Javalin.create(cfg -> {
      cfg.jsonMapper(new JavalinJackson3(json, false));
      cfg.startup.showJavalinBanner = false;
      cfg.routes.before(RequestIds::of);
      cfg.routes.before("/v1/*", auth::check);
      cfg.routes.get("/v1/chains", catalog::chains);
      cfg.routes.get("/v1/tokens", catalog::tokens);
      cfg.routes.get("/v1/positions", catalog::positions);
      cfg.routes.get("/v1/redeems", redeems::list);
      cfg.routes.get("/v1/redeems/{id}", redeems::get);
      cfg.routes.post("/v1/redeems/{id}/cancel", redeems::cancel);
      cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(metrics.scrape()));
      cfg.routes.get("/health", ctx -> {
        boolean up = healthy.getAsBoolean();
        List<ChainHealth> states = chains.get();
        String status = !up ? "down" : states.stream().anyMatch(ChainHealth::unhealthy) ? "degraded" : "ok";
        ctx.status(up ? 200 : 503).json(new Health(status, states));
      });
      cfg.routes.exception(ApiException.class, (e, ctx) -> problems.write(ctx, e));
      cfg.routes.exception(Exception.class, (e, ctx) -> {
        log.error("unhandled error on {} {} request_id={}", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
        problems.write(ctx, new ApiException(ErrorCode.INTERNAL_ERROR, "Internal error; retry with the same request"));
      });
      cfg.routes.error(404, ctx -> {
        if (!"application/problem+json".equals(ctx.res().getContentType())) {
          problems.write(ctx, new ApiException(ErrorCode.NOT_FOUND, "No route " + ctx.method() + " " + ctx.path()));
        }
      });
    });
  }

  /**
   * The body of {@code GET /health}: {@code ok}, {@code degraded} (a chain is stalled or halted;
   * still 200, the other chains are served) or {@code down} (503).
   */
  public record Health(String status, List<ChainHealth> chains) {}

  /** The JSON mapper of the API: snake_case properties, ISO-8601 instants, absent Optionals omitted. */
  public static JsonMapper jsonMapper() {
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .changeDefaultPropertyInclusion(i -> i.withValueInclusion(
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
