package dev.lockstep.daemon.config;

import dev.lockstep.daemon.DaemonConfig.Endpoint;
import dev.lockstep.indexer.config.ChainConfig;
import java.util.List;
import java.util.Optional;

/**
 * What {@code lockstep index} needs: the database and the chains; and, optionally, where to serve
 * {@code /health} and {@code /metrics}.
 */
public record IndexConfig(
    String databaseUrl, List<ChainConfig> chains, Optional<Endpoint> management) {
  public IndexConfig {
    chains = List.copyOf(chains);
  }
}
