package dev.lockstep.daemon;

import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.keeper.tx.TxEngineConfig;
import dev.lockstep.ports.Mode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything one daemon needs; read from a JSON file ({@code lockstep run --config FILE}, keys in
 * snake_case, durations ISO-8601 such as {@code "PT0.5S"}) or built by the sandbox.
 *
 * @param databaseUrl JDBC URL of the PostgreSQL database (user and password as URL parameters)
 * @param chains chains to index and keep
 * @param keeperPrivateKey hex private key of the keeper account (KEEPER_ROLE on each order book)
 * @param apiHost address the API binds to
 * @param apiPort API port (0 picks a free one)
 * @param mode {@code test} (sandbox, {@code sk_test_} keys) or {@code live} ({@code sk_live_})
 * @param markPricesUsd simulated broker: USD price of one share per asset symbol
 * @param brokerFillDelay simulated broker: time from offset request to fill
 * @param keeperInterval delay between scheduled keeper runs
 * @param keeperTx the keeper's transaction engine settings ({@code keeper_tx}; every field of
 *     {@link TxEngineConfig} when given); null for {@link TxEngineConfig#defaults()}. The
 *     confirmation depth of each chain is its {@code confirmations} (at least 1)
 * @param rateLimits requests per second replacing the reference's defaults for some tiers ({@code
 *     startup}, {@code growth}, {@code scale}, {@code enterprise}, {@code sandbox}); null or empty
 *     for the defaults
 */
public record DaemonConfig(
    String databaseUrl,
    List<ChainConfig> chains,
    String keeperPrivateKey,
    String apiHost,
    int apiPort,
    Mode mode,
    Map<String, BigDecimal> markPricesUsd,
    Duration brokerFillDelay,
    Duration keeperInterval,
    TxEngineConfig keeperTx,
    Map<String, Long> rateLimits) {

  public DaemonConfig {
    rateLimits = rateLimits == null ? Map.of() : Map.copyOf(rateLimits);
    keeperTx = keeperTx == null ? TxEngineConfig.defaults() : keeperTx;
    chains = List.copyOf(chains);
    markPricesUsd = Map.copyOf(markPricesUsd);
  }
}
