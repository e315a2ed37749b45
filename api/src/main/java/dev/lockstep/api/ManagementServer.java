package dev.lockstep.api;

import dev.lockstep.indexer.sync.ChainHealth;
import dev.lockstep.ports.SignerStatus;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson3;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's endpoints: {@code GET /metrics} (Prometheus text exposition format 0.0.4) and
 * {@code GET /health}. Served on a management port of their own when one is configured (Prometheus
 * convention: scraped from inside the network, never from the integrator-facing port); otherwise on
 * the API port. Also what {@code lockstep index} serves.
 */
public final class ManagementServer implements AutoCloseable {
  /**
   * The body of {@code GET /health}: {@code ok}, {@code degraded} (a chain is stalled or halted, or
   * a keeper signer is stuck; still 200, the rest is served) or {@code down} (503: the database is
   * gone), with every chain's sync state and every keeper signer's.
   */
  public record Health(HealthStatus status, List<ChainHealth> chains, List<SignerStatus> signers) {}

  /** The daemon's overall health in {@code GET /health}. */
  public enum HealthStatus {
    OK,
    DEGRADED,
    DOWN
  }

  /** What the endpoints report. */
  public record Sources(
      PrometheusMeterRegistry metrics,
      BooleanSupplier databaseUp,
      Supplier<List<ChainHealth>> chains,
      Supplier<List<SignerStatus>> signers) {}

  private final Javalin app;

  public ManagementServer(Sources sources) {
    this(sources, java.util.Optional.empty());
  }

  /**
   * With the operator's reconciliation actions (this port only, never the API's): {@code GET
   * /reconciliation/breaks}, {@code POST /reconciliation/run {date}} and {@code POST
   * /reconciliation/clear {chain_id, token, operator, reason}}, which resumes minting of a token a
   * break paused and records who cleared it, when and why (the audit).
   */
  public ManagementServer(
      Sources sources, java.util.Optional<dev.lockstep.ports.Reconciliation> reconciliation) {
    this.app =
        Javalin.create(
            cfg -> {
              cfg.jsonMapper(new JavalinJackson3(ApiServer.jsonMapper(), false));
              cfg.startup.showJavalinBanner = false;
              routes(cfg, sources, true);
              reconciliation.ifPresent(r -> operatorRoutes(cfg, r));
            });
  }

  /** {@code POST /reconciliation/clear}. */
  public record ClearRequest(
      @org.jspecify.annotations.Nullable Long chainId,
      @org.jspecify.annotations.Nullable String token,
      @org.jspecify.annotations.Nullable String operator,
      @org.jspecify.annotations.Nullable String reason) {}

  /** {@code POST /reconciliation/run}. */
  public record RunRequest(@org.jspecify.annotations.Nullable String date) {}

  private static void operatorRoutes(
      JavalinConfig cfg, dev.lockstep.ports.Reconciliation reconciliation) {
    cfg.routes.get("/reconciliation/breaks", ctx -> ctx.json(reconciliation.breaksAfter(0, 1_000)));
    cfg.routes.post(
        "/reconciliation/run",
        ctx -> {
          RunRequest r = ctx.bodyAsClass(RunRequest.class);
          try {
            ctx.json(reconciliation.run(java.time.LocalDate.parse(r.date())));
          } catch (RuntimeException e) {
            ctx.status(400)
                .json(java.util.Map.of("error", "date must be an ISO date: " + e.getMessage()));
          }
        });
    cfg.routes.post(
        "/reconciliation/clear",
        ctx -> {
          ClearRequest r = ctx.bodyAsClass(ClearRequest.class);
          if (r.chainId() == null || r.token() == null) {
            ctx.status(400).json(java.util.Map.of("error", "chain_id and token are required"));
            return;
          }
          try {
            ctx.json(
                reconciliation.clear(
                    r.chainId(),
                    r.token(),
                    r.operator() == null ? "" : r.operator(),
                    r.reason() == null ? "" : r.reason()));
          } catch (IllegalArgumentException e) {
            ctx.status(400).json(java.util.Map.of("error", e.getMessage()));
          }
        });
  }

  /** Adds {@code /health}, and {@code /metrics} if {@code withMetrics}, to a server's routes. */
  static void routes(JavalinConfig cfg, Sources sources, boolean withMetrics) {
    if (withMetrics) {
      cfg.routes.get(
          "/metrics",
          ctx ->
              ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                  .result(sources.metrics().scrape()));
    }
    cfg.routes.get(
        "/health",
        ctx -> {
          boolean up = sources.databaseUp().getAsBoolean();
          List<ChainHealth> states = sources.chains().get();
          List<SignerStatus> signers = sources.signers().get();
          HealthStatus status =
              !up
                  ? HealthStatus.DOWN
                  : states.stream().anyMatch(ChainHealth::unhealthy)
                          || signers.stream().anyMatch(SignerStatus::stuck)
                      ? HealthStatus.DEGRADED
                      : HealthStatus.OK;
          ctx.status(up ? 200 : 503).json(new Health(status, states, signers));
        });
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
