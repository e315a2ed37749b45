package dev.lockstep.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.contracts.generated.BenchToken;
import dev.lockstep.devnet.AnvilNode;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.EmbeddedDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * {@code lockstep index} is killed with SIGKILL three times in the middle of a backfill and
 * restarted: the final index has every Transfer exactly once (no gap, no duplicate) and balances
 * that add up to the on-chain supply.
 */
class KillRestartIT {

  @Test
  void killMinusNineMidBackfillThenRestartLeavesNoGapAndNoDuplicate() throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(Path.of("target", "pg-kill"));
        AnvilNode anvil = AnvilNode.start(31337, Optional.empty())) {
      ChainDeployment d = ContractDeployer.deploy(anvil.rpcUrl(), 31337, Duration.ofHours(1));
      Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
      var gas = ContractDeployer.devnetGas(31337);
      BenchToken token =
          BenchToken.deploy(
                  web3j,
                  ContractDeployer.transactionManager(web3j, DevAccounts.admin(), 31337),
                  gas,
                  "KILL",
                  BigInteger.TEN.pow(24))
              .send();
      for (int k = 0; k < 150; k++) {
        token
            .spray(
                BigInteger.valueOf(k * 7L),
                BigInteger.valueOf(40),
                BigInteger.valueOf(200),
                BigInteger.valueOf(k + 1))
            .send();
      }
      long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();

      String url = db.createDatabase("kill");
      Path config = Path.of("target", "kill-config.json");
      Files.writeString(
          config,
          """
          {"database_url": "%s", "keeper_private_key": "0x01", "api_host": "127.0.0.1", "api_port": 0, "mode": "test",
           "mark_prices_usd": {}, "broker_fill_delay": "PT1S", "keeper_interval": "PT1S",
           "chains": [{"chain_id": 31337, "rpc_urls": ["%s"], "start_block": %d, "factory": "%s", "order_book": "%s",
                       "max_block_range": 3, "fetch_concurrency": 2, "poll_interval": "PT0.05S",
                       "tokens": [{"symbol": "KILL", "address": "%s", "decimals": 6, "kind": "erc20"}]}]}
          """
              .formatted(
                  url,
                  anvil.rpcUrl(),
                  d.deployBlock(),
                  d.factory(),
                  d.orderBook(),
                  token.getContractAddress()));

      try (Connection c = DriverManager.getConnection(url)) {
        long[] killAt = {head / 5, head / 2, head * 4 / 5};
        for (long at : killAt) {
          Process p = indexer(config);
          waitFor(c, at, p);
          p.destroyForcibly(); // SIGKILL: no shutdown hook, whatever is in flight is cut
          p.waitFor();
          assertThat(checkpoint(c)).isLessThan(head);
        }
        Process p = indexer(config);
        waitFor(c, head, p);
        p.destroyForcibly();
        p.waitFor();

        List<String> onChain =
            IndexedTransfers.onChain(web3j, token.getContractAddress(), d.deployBlock(), head);
        List<String> indexed = IndexedTransfers.indexed(c, token.getContractAddress(), head);
        assertThat(onChain).hasSize(150 * 200 + 1);
        assertThat(indexed).containsExactlyElementsOf(onChain);
        try (ResultSet rs =
            c.createStatement()
                .executeQuery(
                    """
            SELECT sum(amount), count(*) FROM indexer.balances WHERE token = '%s'"""
                        .formatted(token.getContractAddress().toLowerCase()))) {
          rs.next();
          assertThat(rs.getBigDecimal(1).toBigIntegerExact()).isEqualTo(token.totalSupply().send());
          assertThat(rs.getInt(2)).isGreaterThan(40);
        }
        String holder = token.getContractAddress();
        try (ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT holder, amount FROM indexer.balances WHERE token = '"
                        + holder.toLowerCase()
                        + "' ORDER BY holder LIMIT 20")) {
          while (rs.next()) {
            assertThat(rs.getBigDecimal(2))
                .isEqualTo(new BigDecimal(token.balanceOf(rs.getString(1)).send()));
          }
        }
      }
      web3j.shutdown();
    }
  }

  private static Process indexer(Path config) throws Exception {
    return LockstepProcess.start("index", config, Path.of("target", "kill-indexer.log"));
  }

  private static void waitFor(Connection c, long block, Process p) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (checkpoint(c) < block) {
      assertThat(p.isAlive()).as("indexer process alive (see target/kill-indexer.log)").isTrue();
      assertThat(System.currentTimeMillis())
          .as("indexer reached block " + block)
          .isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static long checkpoint(Connection c) throws Exception {
    return IndexedTransfers.checkpoint(c);
  }
}
