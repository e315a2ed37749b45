package dev.lockstep.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.contracts.generated.BenchToken;
import dev.lockstep.devnet.AnvilNode;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.EmbeddedDatabase;
import dev.lockstep.devnet.RpcFaultProxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A full {@code lockstep run} (the production jar, its own process) behind a node that leaves logs
 * out (issue #13), with {@code "verify": "receipts"}: the node drops a log from half its {@code
 * eth_getLogs} answers and now and then answers 503, in blocks of 50 transfers of one contract
 * (where a bloom cannot tell). The index ends with every transfer once and every balance equal to
 * {@code balanceOf}. Then the node drops from every answer: the operator's {@code /health} says
 * {@code degraded} with the reason; once it answers completely again, {@code ok}, and nothing is
 * missing.
 */
class LyingNodeRunIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aFullRunBehindALyingNodeLosesNothingAndSaysDegradedWhileItCannotGetAGoodAnswer()
      throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(Path.of("target", "pg-lying-run"));
        AnvilNode anvil = AnvilNode.start(31337, Optional.empty())) {
      ChainDeployment d = ContractDeployer.deploy(anvil.rpcUrl(), 31337, Duration.ofHours(1));
      Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
      BenchToken token =
          BenchToken.deploy(
                  web3j,
                  ContractDeployer.transactionManager(web3j, DevAccounts.admin(), 31337),
                  ContractDeployer.devnetGas(31337),
                  "LIE",
                  BigInteger.TEN.pow(24))
              .send();
      spray(token, 0, 40);
      int management = freePort();
      String url = db.createDatabase("lying");
      Path config = Path.of("target", "lying-run-config.json");
      HttpClient http = HttpClient.newHttpClient();
      try (RpcFaultProxy proxy = RpcFaultProxy.start(anvil.rpcUrl()).dropLogs(0.5, 11)) {
        Files.writeString(
            config,
            """
            {"database_url": "%s", "keeper_private_key": "%s", "api_host": "127.0.0.1", "api_port": 0,
             "management": {"host": "127.0.0.1", "port": %d}, "mode": "test",
             "mark_prices_usd": {}, "broker": {"adapter": "simulated", "fill_delay": "PT1S", "attester_private_key": "%s"}, "keeper_interval": "PT1S",
             "chains": [{"chain_id": 31337, "rpc_urls": ["%s"], "start_block": %d, "factory": "%s",
                         "order_book": "%s", "verify": "receipts", "max_block_range": 2,
                         "poll_interval": "PT0.1S",
                         "tokens": [{"symbol": "LIE", "address": "%s", "decimals": 6, "kind": "erc20"}]}]}
            """
                .formatted(
                    url,
                    org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(
                        DevAccounts.keeper().getEcKeyPair().getPrivateKey(), 64),
                    management,
                    DevAccounts.attesterKeyHex(),
                    proxy.url(),
                    d.deployBlock(),
                    d.factory(),
                    d.orderBook(),
                    token.getContractAddress()));
        Process run =
            LockstepProcess.start("run", config, Path.of("target", "lying-run-daemon.log"));
        try (Connection c = DriverManager.getConnection(url)) {
          // Intermittent 503s on top of the dropped logs.
          for (int i = 0; i < 6; i++) {
            proxy.failing(true);
            Thread.sleep(150);
            proxy.failing(false);
            Thread.sleep(350);
          }
          long head = head(web3j);
          awaitIndexed(c, run, head);
          assertThat(proxy.droppedLogs()).as("logs the node left out").isGreaterThan(3);
          assertEveryTransferOnceAndBalancesMatch(c, web3j, token, d.deployBlock(), head);
          assertThat(health(http, management).get("status").asString()).isEqualTo("ok");

          // A node that leaves a log out of every answer: no good answer to be had.
          proxy.dropLogs(1.0, 5);
          spray(token, 40, 3);
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> "degraded".equals(health(http, management).get("status").asString()));
          JsonNode chain = health(http, management).get("chains").get(0);
          assertThat(chain.get("status").asString()).isEqualTo("degraded");
          assertThat(chain.get("last_error").asString()).contains("left out");
          assertThat(checkpoint(c))
              .as("nothing past the bad answers committed")
              .isLessThan(head(web3j));

          proxy.dropLogs(0, 5); // answers are complete again: it resumes by itself
          long newHead = head(web3j);
          awaitIndexed(c, run, newHead);
          Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> "ok".equals(health(http, management).get("status").asString()));
          assertEveryTransferOnceAndBalancesMatch(c, web3j, token, d.deployBlock(), newHead);
        } finally {
          run.destroy();
          run.waitFor();
        }
      } finally {
        web3j.shutdown();
      }
    }
  }

  /** {@code txs} transactions of 50 transfers each of one token (one block each, automine). */
  private static void spray(BenchToken token, int from, int txs) throws Exception {
    for (int k = from; k < from + txs; k++) {
      token
          .spray(
              BigInteger.valueOf(k * 5L),
              BigInteger.valueOf(30),
              BigInteger.valueOf(50),
              BigInteger.valueOf(k + 1))
          .send();
    }
  }

  private static void assertEveryTransferOnceAndBalancesMatch(
      Connection c, Web3j web3j, BenchToken token, long fromBlock, long toBlock) throws Exception {
    List<String> onChain =
        IndexedTransfers.onChain(web3j, token.getContractAddress(), fromBlock, toBlock);
    List<String> indexed = IndexedTransfers.indexed(c, token.getContractAddress(), toBlock);
    String t = token.getContractAddress().toLowerCase();
    assertThat(indexed).as("every transfer, once").containsExactlyElementsOf(onChain);
    int holders = 0;
    try (ResultSet rs =
        c.createStatement()
            .executeQuery(
                "SELECT holder, amount FROM indexer.balances WHERE token = '" + t + "'")) {
      while (rs.next()) {
        assertThat(rs.getBigDecimal(2))
            .as("balance of " + rs.getString(1))
            .isEqualTo(new BigDecimal(token.balanceOf(rs.getString(1)).send()));
        holders++;
      }
    }
    assertThat(holders).as("holders checked against balanceOf").isGreaterThan(30);
  }

  private static JsonNode health(HttpClient http, int port) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  private static void awaitIndexed(Connection c, Process run, long block) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              assertThat(run.isAlive())
                  .as("daemon alive (see target/lying-run-daemon.log)")
                  .isTrue();
              return checkpoint(c) >= block;
            });
  }

  private static long head(Web3j web3j) throws Exception {
    return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
  }

  private static long checkpoint(Connection c) throws Exception {
    return IndexedTransfers.checkpoint(c);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
