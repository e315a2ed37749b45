package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.contracts.generated.TestStablecoin;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox tenant's custodial settlement wallet: listed with 1,000,000 USDC and USDT on every
 * chain from the start (the ready line names it), topped up by {@code POST /v1/sandbox/faucet} on
 * one chain or all, each drip a real mint on chain; bad faucet requests answer problem+json.
 */
class SettlementWalletIT {
  private static Sandbox sandbox;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0, Path.of("target", "settlement-wallet-it"));
    api = new ApiClient(sandbox.apiUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  /** The wallet's balances as listed: "chain/currency" to amount. */
  private static Map<String, String> balances() throws Exception {
    JsonNode data = body(api.get("/v1/settlement_wallets", sandbox.apiKey())).get("data");
    assertThat(data.size()).isEqualTo(1);
    Map<String, String> out = new HashMap<>();
    for (JsonNode b : data.get(0).get("balances")) {
      out.put(
          b.get("chain").asString() + "/" + b.get("currency").asString(),
          b.get("amount").asString());
    }
    return out;
  }

  private static BigInteger onChain(ChainDeployment d, String token, String wallet)
      throws Exception {
    Web3j web3j = Web3j.build(new HttpService(d.rpcUrl()));
    try {
      return TestStablecoin.load(
              token,
              web3j,
              ContractDeployer.transactionManager(web3j, DevAccounts.admin(), d.chainId()),
              ContractDeployer.devnetGas(d.chainId()))
          .balanceOf(wallet)
          .send();
    } finally {
      web3j.shutdown();
    }
  }

  @Test
  void theWalletStartsWithAMillionOfEachStablecoinOnEveryChainAndTheFaucetTopsItUp()
      throws Exception {
    JsonNode list = body(api.get("/v1/settlement_wallets", sandbox.apiKey()));
    assertThat(list.get("next_cursor").isNull()).isTrue();
    JsonNode wallet = list.get("data").get(0);
    String address = wallet.get("address").asString();
    assertThat(sandbox.readyJson()).contains("\"settlement_wallet\":\"" + address + "\"");
    assertThat(wallet.get("environment").asString()).isEqualTo("sandbox");
    assertThat(address)
        .as("a wallet of its own, not a dev account")
        .isNotEqualToIgnoringCase(DevAccounts.admin().getAddress())
        .isNotEqualToIgnoringCase(DevAccounts.keeper().getAddress());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> balances().size() == 2 * sandbox.deployments().size());
    assertThat(balances().values()).containsOnly("1000000.000000");
    for (ChainDeployment d : sandbox.deployments().values()) {
      assertThat(onChain(d, d.usdt(), address)).isEqualTo(BigInteger.TEN.pow(12));
    }

    HttpResponse<String> one =
        api.post(
            "/v1/sandbox/faucet",
            sandbox.apiKey(),
            "{\"currency\": \"USDT\", \"chain\": \"base\", \"amount\": 2500.5}");
    assertThat(one.statusCode()).as(one.body()).isEqualTo(201);
    assertThat(body(one).get("wallet").asString()).isEqualTo(address);
    assertThat(body(one).get("drips").size()).isEqualTo(1);
    assertThat(body(one).get("drips").get(0).get("tx_hash").asString()).startsWith("0x");
    ChainDeployment base = sandbox.deployments().get(8453L);
    assertThat(onChain(base, base.usdt(), address))
        .isEqualTo(BigInteger.valueOf(1_002_500_500_000L));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "1002500.500000".equals(balances().get("base/USDT")));

    HttpResponse<String> all =
        api.post("/v1/sandbox/faucet", sandbox.apiKey(), "{\"currency\": \"USDC\", \"amount\": 7}");
    assertThat(all.statusCode()).as(all.body()).isEqualTo(201);
    assertThat(body(all).get("drips").size()).isEqualTo(sandbox.deployments().size());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                balances().entrySet().stream()
                    .filter(e -> e.getKey().endsWith("/USDC"))
                    .allMatch(e -> e.getValue().equals("1000007.000000")));
  }

  @Test
  void badFaucetRequestsAreRefusedWithTheParameterNamed() throws Exception {
    for (String[] c :
        new String[][] {
          {"{\"currency\": \"DAI\", \"amount\": 1}", "currency"},
          {"{\"currency\": \"USDC\", \"amount\": 0}", "amount"},
          {"{\"currency\": \"USDC\", \"amount\": 0.0000001}", "amount"},
          {"{\"currency\": \"USDC\", \"amount\": 10000001}", "amount"},
          {"{\"currency\": \"USDC\", \"amount\": 1, \"chain\": \"solana\"}", "chain"},
          {"{\"currency\": \"USDC\"}", "amount"}
        }) {
      JsonNode p =
          assertProblem(
              api.post("/v1/sandbox/faucet", sandbox.apiKey(), c[0]), 400, "invalid_request");
      assertThat(p.path("param").asString()).as(c[0]).isEqualTo(c[1]);
    }
  }
}
