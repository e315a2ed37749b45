package dev.lockstep.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.daemon.config.ConfigException;
import dev.lockstep.daemon.config.ConfigReader;
import dev.lockstep.daemon.config.DatabaseUrls;
import dev.lockstep.daemon.config.IndexConfig;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.model.TokenKind;
import dev.lockstep.ports.Mode;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file as a newcomer writes it: what is accepted, and how a mistake is told. */
class ConfigReaderTest {
  private static final String SECRETS_KEY = "a1" + "b2".repeat(31);

  @TempDir Path dir;

  private Path file(String json) throws Exception {
    Path f = Files.createTempFile(dir, "lockstep", ".json");
    Files.writeString(f, json);
    return f;
  }

  private List<String> problems(String json, boolean run) throws Exception {
    Path f = file(json);
    try {
      if (run) {
        ConfigReader.readRun(f);
      } else {
        ConfigReader.readIndex(f);
      }
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void theIndexerNeedsOnlyADatabaseAndAChainWithRpcUrls() throws Exception {
    IndexConfig c =
        ConfigReader.readIndex(
            file(
                """
                {"database_url": "postgresql://lockstep:s%40cret@db.internal:5433/lockstep?sslmode=require",
                 "chains": [{"chain_id": 8453, "rpc_urls": ["https://a.example", "https://b.example"],
                             "tokens": [{"symbol": "USDC", "address": "0x833589FCD6EDB6E08F4C7C32D4F71B54BDA02913",
                                         "decimals": 6}]}]}"""));
    assertThat(c.databaseUrl())
        .isEqualTo(
            "jdbc:postgresql://db.internal:5433/lockstep?sslmode=require&user=lockstep&password=s%40cret");
    ChainConfig chain = c.chains().getFirst();
    assertThat(chain.name()).isEqualTo("base");
    assertThat(chain.rpcUrls()).containsExactly("https://a.example", "https://b.example");
    assertThat(chain.factory()).isEmpty();
    assertThat(chain.orderBook()).isEmpty();
    assertThat(chain.startBlock()).isZero();
    assertThat(chain.verification()).isEqualTo(dev.lockstep.indexer.model.LogVerification.BLOOM);
    assertThat(chain.finalityDepth()).isEqualTo(64);
    ChainConfig.Erc20 usdc = chain.tokens().getFirst();
    assertThat(usdc.address()).isEqualTo("0x833589fcd6edb6e08f4c7c32d4f71b54bda02913");
    assertThat(usdc.kind()).isEqualTo(TokenKind.STABLECOIN);
    assertThat(c.management()).isEmpty();
  }

  @Test
  void theRunOnlyKeysOfAFullConfigAreIgnoredByTheIndexer() throws Exception {
    String full =
        """
        {"database_url": "jdbc:postgresql://localhost:5432/l?user=u", "mode": "live",
         "keeper_private_key": "0x01", "mark_prices_usd": {"AAPL": 1},
         "chains": [{"chain_id": 1, "rpc_urls": ["http://n:8545"], "start_block": 7}],
         "management": {"port": 9464}}""";
    IndexConfig c = ConfigReader.readIndex(file(full));
    assertThat(c.chains().getFirst().startBlock()).isEqualTo(7);
    assertThat(c.management()).hasValueSatisfying(m -> assertThat(m.port()).isEqualTo(9464));
  }

  @Test
  void everyMistakeIsOneLineNamingItsKeyWithAnExample() throws Exception {
    List<String> p =
        problems(
            """
            {"database_url": "mysql://x", "chains": [{"chain_id": 1, "rpc_urls": ["ftp://x"],
              "tokens": [{"address": "0x5fbdb2315678afecb367f032d93f642f64180aa3"},
                         {"symbol": "X", "address": "0x12", "decimals": 6.5, "kind": "nft"}],
              "poll_interval": "200ms", "finality_depth": 1, "confirmations": 2, "fatcory": "0x",
              "verify": "paranoid"}]}""",
            false);
    assertThat(p)
        .anyMatch(l -> l.startsWith("database_url: must be a postgresql:// or jdbc:postgresql://"))
        .anyMatch(l -> l.startsWith("chains[0].rpc_urls[0]: 'ftp://x' must start with http://"))
        .anyMatch(
            l -> l.startsWith("chains[0].tokens[0].symbol: missing; e.g. \"symbol\": \"USDC\""))
        .anyMatch(l -> l.startsWith("chains[0].tokens[0].decimals: missing"))
        .anyMatch(l -> l.startsWith("chains[0].tokens[1].address: '0x12' is not a 0x-prefixed"))
        .anyMatch(l -> l.startsWith("chains[0].tokens[1].decimals: must be a whole number"))
        .anyMatch(l -> l.startsWith("chains[0].tokens[1].kind: 'nft' must be stablecoin or erc20"))
        .anyMatch(l -> l.startsWith("chains[0].poll_interval: '200ms' is not an ISO-8601 duration"))
        .anyMatch(l -> l.startsWith("chains[0].finality_depth: must be at least confirmations"))
        .anyMatch(l -> l.startsWith("chains[0].fatcory: unknown key"))
        .anyMatch(
            l -> l.startsWith("chains[0].verify: 'paranoid' must be none, bloom or receipts"));
    assertThat(p).allMatch(l -> !l.contains("Exception") && !l.contains("\n"));
  }

  @Test
  void missingDatabaseAndChainsAreSaidPlainly() throws Exception {
    assertThat(problems("{}", false))
        .containsExactly(
            "database_url: missing; e.g. \"database_url\": \"postgresql://lockstep:secret@db:5432/lockstep\"",
            "chains: missing; e.g. \"chains\": [{\"chain_id\": 8453, \"rpc_urls\": [\"https://mainnet.base.org\"]}]");
    assertThat(problems("not json", false).getFirst()).startsWith("not valid JSON");
  }

  @Test
  void runNeedsAModeAndAKeeperKeyAndRefusesUnnamedSimulatorsInLiveMode() throws Exception {
    String chains = "\"chains\": [{\"chain_id\": 1, \"rpc_urls\": [\"http://n:8545\"]}]";
    assertThat(problems("{\"database_url\": \"postgresql://h/db\", " + chains + "}", true))
        .anyMatch(l -> l.startsWith("mode: missing"))
        .anyMatch(l -> l.startsWith("signer: the keeper needs a key"));
    assertThat(
            problems(
                "{\"database_url\": \"postgresql://h/db\", \"mode\": \"prod\", \"keeper_private_key\": \"0x1\", "
                    + chains
                    + "}",
                true))
        .anyMatch(l -> l.startsWith("mode: 'prod' must be test or live"))
        .anyMatch(l -> l.startsWith("keeper_private_key: must be 0x and 64 hex digits"));

    String key = "0x" + "11".repeat(32);
    DaemonConfig live =
        ConfigReader.readRun(
            file(
                "{\"database_url\": \"postgresql://h/db\", \"mode\": \"live\", \"keeper_private_key\": \""
                    + key
                    + "\", \"secrets_key\": \""
                    + SECRETS_KEY
                    + "\", "
                    + chains
                    + "}"));
    assertThat(live.mode()).isEqualTo(Mode.LIVE);
    assertThat(live.secretsKeyHex()).hasValue(SECRETS_KEY);
    // Live without the key that seals webhook secrets at rest is refused; a bad one too.
    String liveNoKey =
        "{\"database_url\": \"postgresql://h/db\", \"mode\": \"live\", \"keeper_private_key\": \""
            + key
            + "\", "
            + chains;
    assertThat(problems(liveNoKey + "}", true))
        .anyMatch(
            l ->
                l.startsWith("secrets_key_env: a live daemon seals webhook signing secrets")
                    && l.contains("\"secrets_key_env\": \"LOCKSTEP_SECRETS_KEY\""));
    assertThat(problems(liveNoKey + ", \"secrets_key\": \"0x1234\"}", true))
        .anyMatch(l -> l.startsWith("secrets_key: the secrets key must be 32 bytes"));
    assertThat(problems(liveNoKey + ", \"secrets_key_env\": \"LOCKSTEP_UNSET_SECRETS_KEY\"}", true))
        .anyMatch(
            l ->
                l.startsWith(
                    "secrets_key_env: names LOCKSTEP_UNSET_SECRETS_KEY, which is not set"));
    assertThat(live.poolSize()).isEqualTo(DaemonConfig.DEFAULT_POOL_SIZE);
    String base =
        "{\"database_url\": \"postgresql://h/db\", \"mode\": \"test\", \"keeper_private_key\": \""
            + key
            + "\", "
            + chains;
    assertThat(ConfigReader.readRun(file(base + ", \"database_pool_size\": 40}")).poolSize())
        .isEqualTo(40);
    assertThat(problems(base + ", \"database_pool_size\": 1}", true))
        .anyMatch(
            l -> l.startsWith("database_pool_size: ") && l.contains("\"database_pool_size\": 16"));
    assertThat(live.collaborators().broker().named()).isFalse();
    assertThatThrownBy(() -> Daemon.start(live, java.time.Clock.systemUTC()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .hasSize(3)
                    .anyMatch(
                        l ->
                            l.startsWith(
                                "broker: live mode will not fall back to the simulated simulator"))
                    .anyMatch(l -> l.startsWith("venue_calendar: live mode will not fall back")));

    DaemonConfig named =
        ConfigReader.readRun(
            file(
                """
                {"database_url": "postgresql://h/db", "mode": "live", "secrets_key": "%s",
                 "signer": {"adapter": "local_key", "private_key_env": "LOCKSTEP_TEST_KEY"},
                 "broker": {"adapter": "simulated", "fill_delay": "PT3S"}, "price_feed": {"adapter": "simulated"},
                 "venue_calendar": {"adapter": "always_open"}, "management": {"host": "0.0.0.0", "port": 0},
                 "keeper_tx": {"stuck_after": "PT30S"},
                 %s}"""
                    .formatted(SECRETS_KEY, chains)));
    assertThat(named.collaborators().broker().named()).isTrue();
    assertThat(named.collaborators().broker().setting("fill_delay")).hasValue("PT3S");
    // The simulated broker's compressed clearing and the exchange calendar's asset lists.
    DaemonConfig exchange =
        ConfigReader.readRun(
            file(
                base
                    + ", \"broker\": {\"adapter\": \"simulated\", \"clearing_delay\": \"PT10S\"},"
                    + " \"venue_calendar\": {\"adapter\": \"exchange\", \"bonds\": \"UST10Y\","
                    + " \"private_credit\": \"PCF\"}}"));
    assertThat(exchange.collaborators().broker().setting("clearing_delay")).hasValue("PT10S");
    assertThat(exchange.collaborators().venueCalendar().name()).isEqualTo("exchange");
    assertThat(exchange.collaborators().venueCalendar().setting("private_credit")).hasValue("PCF");
    assertThat(
            problems(
                base + ", \"broker\": {\"adapter\": \"simulated\", \"clearing_delay\": \"soon\"}}",
                true))
        .anyMatch(l -> l.startsWith("broker.clearing_delay: ") && l.contains("ISO-8601"));
    assertThat(named.collaborators().signer().setting("private_key_env"))
        .hasValue("LOCKSTEP_TEST_KEY");
    assertThat(named.keeperTx().replaceAfter()).isEqualTo(Duration.ofSeconds(15));
    assertThat(named.keeperTx().stuckAfter()).isEqualTo(Duration.ofSeconds(30));

    DaemonConfig wallets =
        ConfigReader.readRun(
            file(
                base
                    + ", \"settlement_wallets\": {\"adapter\": \"derived\", \"seed_env\":"
                    + " \"LOCKSTEP_WALLET_SEED\"}}"));
    assertThat(wallets.collaborators().settlementWallets().name()).isEqualTo("derived");
    assertThat(wallets.collaborators().settlementWallets().setting("seed_env"))
        .hasValue("LOCKSTEP_WALLET_SEED");
  }

  @Test
  void anAdapterNoJarProvidesIsNamedInTheError() throws Exception {
    DaemonConfig cfg =
        ConfigReader.readRun(
            file(
                """
                {"database_url": "postgresql://h/db", "mode": "test", "keeper_private_key": "0x%s",
                 "broker": {"adapter": "acme-prime", "account": "A-1"},
                 "chains": [{"chain_id": 1, "rpc_urls": ["http://n:8545"]}]}"""
                    .formatted("22".repeat(32))));
    assertThatThrownBy(() -> Daemon.start(cfg, java.time.Clock.systemUTC()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("broker.adapter: no adapter 'acme-prime' on the classpath");
  }

  @Test
  void bothUrlFormsAreAccepted() {
    assertThat(DatabaseUrls.toJdbc("postgres://u@h/db")).hasValue("jdbc:postgresql://h/db?user=u");
    assertThat(DatabaseUrls.toJdbc("jdbc:postgresql://h:1/db?user=u"))
        .hasValue("jdbc:postgresql://h:1/db?user=u");
    assertThat(DatabaseUrls.toJdbc("postgresql:///db")).isEmpty();
    assertThat(DatabaseUrls.toJdbc("http://h/db")).isEmpty();
  }

  @Test
  void everyCommandAnswersHelpAndAConfigProblemExitsTwoWithoutAStackTrace() throws Exception {
    for (String[] args :
        new String[][] {
          {"--help"},
          {"run", "--help"},
          {"index", "--help"},
          {"tenants", "create", "--help"},
          {"keys", "create", "--help"},
          {"keys", "revoke", "--help"}
        }) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code =
          Main.commandLine()
              .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
              .execute(args);
      assertThat(code).as(String.join(" ", args)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: lockstep");
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.commandLine()
            .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
            .execute("index", "--config", file("{\"chains\": []}").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("database_url: missing")
        .contains("chains: needs at least one chain")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }
}
