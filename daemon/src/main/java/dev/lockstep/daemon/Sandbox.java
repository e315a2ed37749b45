package dev.lockstep.daemon;

import dev.lockstep.devnet.AnvilNode;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.EmbeddedDatabase;
import dev.lockstep.indexer.config.ChainConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.utils.Numeric;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox: a local devnet (one anvil on chain id 8453, "base"), an embedded PostgreSQL, the
 * contracts deployed, and a daemon in test mode following them, with a fresh {@code sk_test_} key.
 * Everything is on loopback and random free ports, and goes away on {@link #close}.
 */
public final class Sandbox implements AutoCloseable {
  /** Chain id of the sandbox chain (Base's, so catalog names look as in production). */
  public static final long CHAIN_ID = 8453;
  /** Sandbox mark prices (USD per share) of the simulated broker. */
  public static final Map<String, BigDecimal> MARKS =
      Map.of("AAPL", new BigDecimal("187.42"), "NVDA", new BigDecimal("121.10"), "SPY", new BigDecimal("512.30"));

  private final EmbeddedDatabase database;
  private final AnvilNode anvil;
  private final ChainDeployment deployment;
  private final Daemon daemon;
  private final String apiKey;
  private final String databaseUrl;

  private Sandbox(EmbeddedDatabase database, AnvilNode anvil, ChainDeployment deployment, Daemon daemon,
      String apiKey, String databaseUrl) {
    this.database = database;
    this.anvil = anvil;
    this.deployment = deployment;
    this.daemon = daemon;
    this.apiKey = apiKey;
    this.databaseUrl = databaseUrl;
  }

  /**
   * Starts the sandbox.
   *
   * @param apiPort API port, 0 for a free one
   * @param workDir where PostgreSQL keeps its files
   */
  public static Sandbox start(int apiPort, Path workDir) {
    EmbeddedDatabase db = EmbeddedDatabase.start(workDir);
    AnvilNode anvil = null;
    try {
      anvil = AnvilNode.start(CHAIN_ID, Optional.empty());
      ChainDeployment d = ContractDeployer.deploy(anvil.rpcUrl(), CHAIN_ID, Duration.ofHours(24));
      String url = db.createDatabase("lockstep");
      ChainConfig chain = new ChainConfig(CHAIN_ID, ChainConfig.defaultName(CHAIN_ID), anvil.rpcUrl(), 0,
          d.deployBlock(), d.factory(), d.orderBook(), List.of(new ChainConfig.Stablecoin("USDC", d.usdc(), 6)),
          Duration.ofMillis(200), 500);
      DaemonConfig cfg = new DaemonConfig(url, List.of(chain),
          Numeric.toHexStringWithPrefixZeroPadded(DevAccounts.keeper().getEcKeyPair().getPrivateKey(), 64),
          "127.0.0.1", apiPort, "test", MARKS, Duration.ofSeconds(2), Duration.ofMillis(500));
      Daemon daemon = Daemon.start(cfg, Clock.systemUTC());
      String key = daemon.apiKeys().create("ten_sandbox", "test", "full");
      return new Sandbox(db, anvil, d, daemon, key, url);
    } catch (RuntimeException e) {
      if (anvil != null) anvil.close();
      db.close();
      throw e;
    }
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + daemon.apiPort();
  }

  public String apiKey() {
    return apiKey;
  }

  public ChainDeployment deployment() {
    return deployment;
  }

  public Daemon daemon() {
    return daemon;
  }

  public String databaseUrl() {
    return databaseUrl;
  }

  /** The one-line JSON that {@code sandbox ready} prints: API URL and key, database, each chain's RPC and contracts. */
  public String readyJson() {
    Map<String, Object> chain = new LinkedHashMap<>();
    chain.put("chain_id", deployment.chainId());
    chain.put("name", ChainConfig.defaultName(deployment.chainId()));
    chain.put("rpc_url", anvil.rpcUrl());
    chain.put("ws_url", anvil.wsUrl());
    chain.put("contracts", Map.of("usdc", deployment.usdc(), "factory", deployment.factory(),
        "order_book", deployment.orderBook()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("api_url", apiUrl());
    out.put("api_key", apiKey);
    out.put("database_url", databaseUrl);
    out.put("chains", List.of(chain));
    return JsonMapper.builder().build().writeValueAsString(out);
  }

  @Override
  public void close() {
    daemon.close();
    anvil.close();
    database.close();
  }
}
