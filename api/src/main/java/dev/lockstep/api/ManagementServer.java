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
    this.app =
        Javalin.create(
            cfg -> {
              cfg.jsonMapper(new JavalinJackson3(ApiServer.jsonMapper(), false));
              cfg.startup.showJavalinBanner = false;
              routes(cfg, sources, true);
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
