package dev.lockstep.indexer.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.devnet.AnvilNode;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.EmbeddedDatabase;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.store.BatchWriter;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.SchemaMigrations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** A follower stopped mid-stream and restarted resumes from its checkpoint: no gap, no duplicate. */
class CheckpointResumeIT {

  @Test
  void resumesFromCheckpointWithoutGapsOrDuplicates() throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(Path.of("target", "pg-it"));
        AnvilNode anvil = AnvilNode.start(31337, Optional.empty())) {
      ChainDeployment d = ContractDeployer.deploy(anvil.rpcUrl(), 31337, Duration.ofHours(1));
      HikariDataSource ds = new HikariDataSource();
      ds.setJdbcUrl(db.createDatabase("resume"));
      SchemaMigrations.migrate(ds, SchemaMigrations.INDEXER);
      Jdbi jdbi = Jdbi.create(ds);
      Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
      ChainConfig chain = new ChainConfig(31337, "local", anvil.rpcUrl(), 0, d.deployBlock(), d.factory(),
          d.orderBook(), List.of(new ChainConfig.Stablecoin("USDC", d.usdc(), 6)), Duration.ofMillis(50), 3);
      var gas = ContractDeployer.devnetGas(31337);
      var factory = AssetTokenFactory.load(d.factory(), web3j,
          ContractDeployer.transactionManager(web3j, DevAccounts.keeper(), 31337), gas);
      IndexReader reader = new IndexReader(jdbi);

      traffic(factory, web3j, gas, 0);
      ChainFollower first = follower(chain, web3j, jdbi, reader);
      first.start();
      awaitCaughtUp(web3j, reader);
      first.close();

      traffic(factory, web3j, gas, 1);
      ChainFollower second = follower(chain, web3j, jdbi, reader);
      second.start();
      awaitCaughtUp(web3j, reader);
      second.close();

      for (String symbol : List.of("AAPL", "NVDA")) {
        AssetToken token = AssetToken.load(factory.tokenOf(symbol).send(), web3j,
            ContractDeployer.transactionManager(web3j, DevAccounts.admin(), 31337), gas);
        for (int w = 0; w < 3; w++) {
          String holder = DevAccounts.wallet(w).getAddress();
          BigInteger onChain = token.balanceOf(holder).send();
          BigInteger indexed = reader.balancesOf(holder).stream()
              .filter(b -> b.token().equalsIgnoreCase(token.getContractAddress())).map(b -> b.amount())
              .findFirst().orElse(BigInteger.ZERO);
          assertThat(indexed).as(symbol + " balance of wallet " + w).isEqualTo(onChain);
        }
        var row = reader.tokens().stream().filter(t -> t.symbol().equals(symbol)).findFirst().orElseThrow();
        assertThat(row.totalSupply()).isEqualTo(token.totalSupply().send());
      }
      int transfers = jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM indexer.transfers").mapTo(Integer.class).one());
      // 2 rounds x 2 tokens x (3 mints + 1 transfer), plus the USDC mint that funded the payout pool
      assertThat(transfers).isEqualTo(2 * 2 * (3 + 1) + 1);
      web3j.shutdown();
      ds.close();
    }
  }

  private static ChainFollower follower(ChainConfig chain, Web3j web3j, Jdbi jdbi, IndexReader reader) {
    return new ChainFollower(chain, web3j, new BatchWriter(jdbi), reader,
        new IndexerMetrics(new SimpleMeterRegistry(), chain.chainId()), List.of());
  }

  /** Per round: mint 1..3 of AAPL and NVDA to wallets 0-2, then wallet 0 sends 1 unit of each to wallet 1. */
  private static void traffic(AssetTokenFactory factory, Web3j web3j,
      org.web3j.tx.gas.ContractGasProvider gas, int round) throws Exception {
    for (String symbol : List.of("AAPL", "NVDA")) {
      for (int w = 0; w < 3; w++) {
        factory.mint(symbol, DevAccounts.wallet(w).getAddress(), BigInteger.valueOf(1_000_000L * (w + 1 + round))).send();
      }
      AssetToken.load(factory.tokenOf(symbol).send(), web3j,
              ContractDeployer.transactionManager(web3j, DevAccounts.wallet(0), 31337), gas)
          .transfer(DevAccounts.wallet(1).getAddress(), BigInteger.ONE).send();
    }
  }

  private static void awaitCaughtUp(Web3j web3j, IndexReader reader) throws Exception {
    long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> reader.checkpoint(31337).map(c -> c.blockNumber() >= head).orElse(false));
  }
}
