package dev.lockstep.daemon;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.api.ManagementServer;
import dev.lockstep.daemon.config.IndexConfig;
import dev.lockstep.indexer.Indexer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code lockstep index}: the indexer alone on its database, with {@code /health} and {@code
 * /metrics} on the configured management port. {@link #close} stops the followers, then the
 * endpoints, then the pool.
 */
final class StandaloneIndexer implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Indexer indexer;
  private final Optional<ManagementServer> management;
  private final Optional<Integer> managementPort;

  /** Milliseconds from the JVM's start to the indexer's start, and of that the migration. */
  private final long startedAfterMillis;

  private final long migrationMillis;

  private StandaloneIndexer(IndexConfig cfg, Clock clock) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(cfg.databaseUrl());
    pool.setMaximumPoolSize(4);
    pool.setPoolName("lockstep-indexer");
    dataSource = new HikariDataSource(pool);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    long m0 = System.nanoTime();
    indexer = new Indexer(dataSource, cfg.chains(), metrics, List.of(), clock);
    migrationMillis = (System.nanoTime() - m0) / 1_000_000;
    management =
        cfg.management()
            .map(
                m ->
                    new ManagementServer(
                        new ManagementServer.Sources(
                            metrics, () -> !dataSource.isClosed(), indexer::health, List::of)));
    managementPort = cfg.management().map(m -> management.orElseThrow().start(m.host(), m.port()));
    indexer.start();
    startedAfterMillis = ManagementFactory.getRuntimeMXBean().getUptime();
  }

  static StandaloneIndexer start(IndexConfig cfg, Clock clock) {
    return new StandaloneIndexer(cfg, clock);
  }

  String banner() {
    return "lockstep indexer running on "
        + indexer.health().size()
        + " chain(s)"
        + managementPort.map(p -> ", /metrics and /health on port " + p).orElse("")
        + " (started "
        + startedAfterMillis
        + " ms after the JVM, "
        + migrationMillis
        + " ms of it opening the database and checking its schema)";
  }

  @Override
  public void close() {
    indexer.close();
    management.ifPresent(ManagementServer::close);
    dataSource.close();
  }
}
