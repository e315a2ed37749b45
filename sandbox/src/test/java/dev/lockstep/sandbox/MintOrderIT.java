package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.contracts.generated.TestStablecoin;
import dev.lockstep.daemon.Daemon;
import dev.lockstep.daemon.DaemonConfig;
import dev.lockstep.daemon.config.ConfigException;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.gas.ContractGasProvider;
import tools.jackson.databind.JsonNode;

/**
 * Mint orders a wallet places on the sandbox chain, kept by the daemon end to end: the keeper asks
 * the simulated broker to buy, settles at the attested fill, and the book mints through the factory
 * (deploying the asset's token with CREATE2 in the same transaction), charges the fees, sends the
 * notional to the treasury and refunds the rest of the lock; a fill above the order's maximum makes
 * the keeper cancel it and the lock comes back whole. The API publishes {@code mint.settled} and
 * {@code mint.failed} for the buyer's tenant. A daemon whose keeper key could mint refuses to
 * start.
 */
class MintOrderIT {
  private static final BigInteger SHARE = BigInteger.TEN.pow(6);
  private static Sandbox sandbox;
  private static ApiClient api;
  private static Web3j web3j;
  private static ChainDeployment d;
  private static ContractGasProvider gas;

  @BeforeAll
  static void start() throws Exception {
    sandbox = Sandbox.start(0, Path.of("target", "mint-order-it"), 1, Clock.systemUTC(), Map.of());
    api = new ApiClient(sandbox.apiUrl());
    d = sandbox.deployment();
    web3j = Web3j.build(new HttpService(d.rpcUrl()));
    gas = ContractDeployer.devnetGas(d.chainId());
  }

  @AfterAll
  static void stop() {
    web3j.shutdown();
    sandbox.close();
  }

  private static TestStablecoin usdc(Credentials as) {
    return TestStablecoin.load(
        d.usdc(), web3j, ContractDeployer.transactionManager(web3j, as, d.chainId()), gas);
  }

  private static AssetTokenFactory factory(Credentials as) {
    return AssetTokenFactory.load(
        d.factory(), web3j, ContractDeployer.transactionManager(web3j, as, d.chainId()), gas);
  }

  private static OrderBook book(Credentials as) {
    return OrderBook.load(
        d.orderBook(), web3j, ContractDeployer.transactionManager(web3j, as, d.chainId()), gas);
  }

  /**
   * Registers {@code buyer} as a customer of the sandbox tenant, links its wallet with a signed
   * challenge and funds it with USDC.
   */
  private static void fundBuyer(Credentials buyer, String externalId, BigInteger usdcUnits)
      throws Exception {
    HttpResponse<String> r =
        api.post(
            "/v1/customers",
            sandbox.apiKey(),
            """
            {"external_id": "%s", "wallet": "%s"}"""
                .formatted(externalId, buyer.getAddress()));
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    api.proveWallet(sandbox.apiKey(), buyer); // only a proven wallet's state is the tenant's
    assertThat(usdc(DevAccounts.admin()).mint(buyer.getAddress(), usdcUnits).send().isStatusOK())
        .isTrue();
    assertThat(usdc(buyer).approve(d.orderBook(), BigInteger.TWO.pow(255)).send().isStatusOK())
        .isTrue();
  }

  private static long createMint(
      Credentials buyer,
      String symbol,
      BigInteger quantity,
      BigInteger maxNotional,
      OrderBook.Terms terms)
      throws Exception {
    var receipt =
        book(buyer)
            .createMint(symbol, quantity, d.usdc(), maxNotional, buyer.getAddress(), terms)
            .send();
    assertThat(receipt.isStatusOK()).isTrue();
    return OrderBook.getOrderCreatedEvents(receipt).getFirst().orderId.longValueExact();
  }

  private static List<Log> logs(String topic0, long orderId) throws Exception {
    EthFilter f =
        new EthFilter(
            org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.ZERO),
            DefaultBlockParameterName.LATEST,
            d.orderBook());
    f.addSingleTopic(topic0);
    f.addSingleTopic(
        org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(orderId), 64));
    return web3j.ethGetLogs(f).send().getLogs().stream()
        .map(l -> (Log) ((EthLog.LogObject) l).get())
        .toList();
  }

  private static BigInteger status(long orderId) throws Exception {
    return book(DevAccounts.admin()).statusOf(BigInteger.valueOf(orderId)).send();
  }

  private static boolean hasEvent(String type, String mintId) throws Exception {
    for (JsonNode e : body(api.get("/v1/events?type=" + type, sandbox.apiKey())).get("data")) {
      if (mintId.equals(e.get("data").path("mint_id").asString())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aMintOrderAutoDeploysItsTokenSettlesAtTheAttestedFillAndRefundsTheRestExactly()
      throws Exception {
    Credentials buyer = DevAccounts.wallet(4);
    String developer = DevAccounts.wallet(5).getAddress();
    String treasury = DevAccounts.admin().getAddress();
    fundBuyer(buyer, "mint-buyer", BigInteger.valueOf(10_000).multiply(SHARE));
    AssetTokenFactory factory = factory(DevAccounts.admin());
    assertThat(factory.tokenOf("NVDA").send()).isEqualTo("0x" + "0".repeat(40));
    String predicted = factory.predictAddress("NVDA").send();
    BigInteger buyerBefore = usdc(buyer).balanceOf(buyer.getAddress()).send();
    BigInteger treasuryBefore = usdc(buyer).balanceOf(treasury).send();

    // 2 NVDA at a mark of 121.10: 242.20 USDC; a 5% bound; 0.10% platform and 0.25% developer fee.
    BigInteger quantity = BigInteger.TWO.multiply(SHARE);
    BigInteger maxNotional = BigInteger.valueOf(254_310_000);
    OrderBook.Terms terms =
        new OrderBook.Terms(
            BigInteger.valueOf(10),
            BigInteger.valueOf(25),
            developer,
            BigInteger.ZERO,
            BigInteger.ZERO);
    long orderId = createMint(buyer, "NVDA", quantity, maxNotional, terms);
    BigInteger lock = book(buyer).mintLockOf(maxNotional, terms).send();
    assertThat(usdc(buyer).balanceOf(buyer.getAddress()).send())
        .isEqualTo(buyerBefore.subtract(lock));

    await().atMost(Duration.ofSeconds(60)).until(() -> status(orderId).intValue() == 3);

    assertThat(factory.tokenOf("NVDA").send()).isEqualTo(predicted);
    assertThat(
            AssetToken.load(
                    predicted,
                    web3j,
                    ContractDeployer.transactionManager(web3j, buyer, d.chainId()),
                    gas)
                .balanceOf(buyer.getAddress())
                .send())
        .isEqualTo(quantity);
    var settled =
        OrderBook.getOrderSettledEventFromLog(
            logs(EventEncoder.encode(OrderBook.ORDERSETTLED_EVENT), orderId).getFirst());
    var charged =
        OrderBook.getOrderChargedEventFromLog(
            logs(EventEncoder.encode(OrderBook.ORDERCHARGED_EVENT), orderId).getFirst());
    assertThat(settled.grossNotional).isEqualTo(BigInteger.valueOf(242_200_000));
    BigInteger notional = settled.grossNotional.add(charged.costs);
    assertThat(charged.platformFee).isEqualTo(BigInteger.valueOf(242_200)); // 0.10%
    assertThat(charged.developerFee).isEqualTo(BigInteger.valueOf(605_500)); // 0.25%
    BigInteger refund =
        lock.subtract(notional).subtract(charged.platformFee).subtract(charged.developerFee);
    assertThat(settled.payout).as("the refund").isEqualTo(refund);
    assertThat(usdc(buyer).balanceOf(buyer.getAddress()).send())
        .isEqualTo(buyerBefore.subtract(lock).add(refund));
    assertThat(usdc(buyer).balanceOf(treasury).send().subtract(treasuryBefore))
        .isEqualTo(notional.add(charged.platformFee));
    assertThat(book(buyer).developerFeesOf(developer, d.usdc()).send())
        .isEqualTo(charged.developerFee);

    String mintId = "mnt_" + d.chainId() + "_" + orderId;
    await().atMost(Duration.ofSeconds(30)).until(() -> hasEvent("mint.settled", mintId));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (JsonNode e :
                  body(api.get("/v1/events?type=fee.*", sandbox.apiKey())).get("data")) {
                JsonNode data = e.get("data");
                if (e.get("type").asString().equals("fee.accrued")
                    && data.get("order_id").asLong() == orderId) {
                  assertThat(data.get("amount").asString()).isEqualTo("0.605500");
                  assertThat(data.get("currency").asString()).isEqualTo("USDC");
                  assertThat(data.get("recipient").asString()).isEqualToIgnoringCase(developer);
                  assertThat(data.get("side").asString()).isEqualTo("mint");
                  return true;
                }
              }
              return false;
            });

    // The auditor's query counts the wallet's mint history: the buyer has only minted.
    JsonNode byNotional =
        body(
            api.get(
                "/v1/customers?limit=100&min_notional="
                    + new java.math.BigDecimal(settled.grossNotional, 6).toPlainString(),
                sandbox.apiKey()));
    assertThat(byNotional.path("data").findValuesAsString("external_id")).contains("mint-buyer");
    JsonNode above =
        body(
            api.get(
                "/v1/customers?limit=100&min_notional="
                    + new java.math.BigDecimal(settled.grossNotional.add(BigInteger.ONE), 6)
                        .toPlainString(),
                sandbox.apiKey()));
    assertThat(above.path("data").findValuesAsString("external_id")).doesNotContain("mint-buyer");

    // The position by ticker, across chains, as the tenant's key reads it.
    String w = buyer.getAddress();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> api.get("/v1/positions/NVDA?wallet=" + w, sandbox.apiKey()).statusCode() == 200);
    JsonNode position = body(api.get("/v1/positions/NVDA?wallet=" + w, sandbox.apiKey()));
    assertThat(position.get("quantity").asString()).isEqualTo("2.000000");
    assertThat(position.get("chains").size()).isEqualTo(1);
    assertThat(position.get("chains").get(0).get("token_address").asString())
        .isEqualToIgnoringCase(predicted);
    assertThat(position.get("nav_usdc").asString()).isEqualTo("242.200000");
    ApiClient.assertProblem(
        api.get("/v1/positions/SPY?wallet=" + w, sandbox.apiKey()), 404, "position_not_found");
    ApiClient.assertProblem(
        api.get("/v1/positions/MSFT?wallet=" + w, sandbox.apiKey()), 404, "asset_not_found");
    ApiClient.assertProblem(
        api.get("/v1/positions/NVDA?wallet=" + DevAccounts.admin().getAddress(), sandbox.apiKey()),
        404,
        "position_not_found");
    ApiClient.assertProblem(
        api.get("/v1/positions/NVDA", sandbox.apiKey()), 400, "invalid_request");

    // A mint is no redeem: the redeem resources do not show it.
    assertThat(body(api.get("/v1/redeems?wallet=" + w, sandbox.apiKey())).get("data").size())
        .isZero();
    ApiClient.assertProblem(
        api.get("/v1/redeems/rdm_" + d.chainId() + "_" + orderId, sandbox.apiKey()),
        404,
        "redeem_not_found");
  }

  @Test
  void aMintWhoseFillExceedsItsMaximumIsCancelledByTheKeeperAndTheLockComesBackWhole()
      throws Exception {
    Credentials buyer = DevAccounts.wallet(6);
    fundBuyer(buyer, "mint-too-cheap", BigInteger.valueOf(1_000).multiply(SHARE));
    BigInteger before = usdc(buyer).balanceOf(buyer.getAddress()).send();
    OrderBook.Terms terms =
        new OrderBook.Terms(
            BigInteger.ZERO,
            BigInteger.ZERO,
            "0x" + "0".repeat(40),
            BigInteger.ZERO,
            BigInteger.ZERO);
    // 1 SPY at 512.30, but at most 500 USDC.
    long orderId = createMint(buyer, "SPY", SHARE, BigInteger.valueOf(500).multiply(SHARE), terms);
    assertThat(usdc(buyer).balanceOf(buyer.getAddress()).send()).isLessThan(before);

    await().atMost(Duration.ofSeconds(60)).until(() -> status(orderId).intValue() == 4);

    assertThat(usdc(buyer).balanceOf(buyer.getAddress()).send()).isEqualTo(before);
    assertThat(book(buyer).reservedOf(d.usdc()).send())
        .as("nothing of this order stays reserved")
        .isEqualTo(
            book(buyer).developerFeesOf(DevAccounts.wallet(5).getAddress(), d.usdc()).send());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> hasEvent("mint.failed", "mnt_" + d.chainId() + "_" + orderId));
    // The event and the resource say why: the broker's fill was above the order's maximum.
    JsonNode failed = null;
    for (JsonNode e : body(api.get("/v1/events?type=mint.failed", sandbox.apiKey())).get("data")) {
      if (("mnt_" + d.chainId() + "_" + orderId).equals(e.get("data").path("mint_id").asString())) {
        failed = e;
      }
    }
    assertThat(failed.at("/data/failure_reason").asString()).isEqualTo("price_outside_bound");
    JsonNode mint = body(api.get("/v1/mints/mnt_" + d.chainId() + "_" + orderId, sandbox.apiKey()));
    assertThat(mint.path("status").asString()).as(mint.toString()).isEqualTo("failed");
    assertThat(mint.path("failure_reason").asString()).isEqualTo("price_outside_bound");
    assertThat(mint.path("refund_usdc").isMissingNode()).isFalse();
  }

  @Test
  void aDaemonWhoseKeeperKeyCanMintOrAttestReservesRefusesToStart() throws Exception {
    AssetTokenFactory asAdmin = factory(DevAccounts.admin());
    byte[] minter = asAdmin.MINTER_ROLE().send();
    String keeper = DevAccounts.keeper().getAddress();
    assertThat(asAdmin.grantRole(minter, keeper).send().isStatusOK()).isTrue();
    // Nor may it vouch for the reserves it relays.
    byte[] reserveAttester = dev.lockstep.contracts.ReserveReport.ATTESTER_ROLE;
    assertThat(asAdmin.grantRole(reserveAttester, keeper).send().isStatusOK()).isTrue();
    try {
      DaemonConfig cfg =
          sandbox
              .daemon()
              .config()
              .withApiPort(0)
              .withManagement(new DaemonConfig.Endpoint("127.0.0.1", 0));
      assertThatThrownBy(() -> Daemon.start(cfg, Clock.systemUTC()).close())
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("MINTER_ROLE on the factory")
          .hasMessageContaining("RESERVE_ATTESTER_ROLE on the factory")
          .hasMessageContaining(keeper);
    } finally {
      assertThat(asAdmin.revokeRole(minter, keeper).send().isStatusOK()).isTrue();
      assertThat(asAdmin.revokeRole(reserveAttester, keeper).send().isStatusOK()).isTrue();
    }
  }

  @Test
  void ensureDeployedDeploysATokenAheadOfItsFirstMintOnceOnTheChainAsked() throws Exception {
    ChainDeployment arbitrum = sandbox.deployments().get(42161L);
    Web3j arb = Web3j.build(new HttpService(arbitrum.rpcUrl()));
    AssetTokenFactory factory =
        AssetTokenFactory.load(
            arbitrum.factory(),
            arb,
            ContractDeployer.transactionManager(arb, DevAccounts.admin(), arbitrum.chainId()),
            gas);
    String predicted = factory.predictAddress("AAPL").send();
    HttpResponse<String> first =
        api.post("/v1/tokens/AAPL/ensure_deployed", sandbox.apiKey(), "{\"chain\": \"arbitrum\"}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    assertThat(body(first).get("status").asString()).isEqualTo("deploying");
    assertThat(body(first).get("address").asString()).isEqualToIgnoringCase(predicted);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> factory.tokenOf("AAPL").send().equalsIgnoreCase(predicted));
    HttpResponse<String> again =
        api.post("/v1/tokens/AAPL/ensure_deployed", sandbox.apiKey(), "{\"chain\": \"arbitrum\"}");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(body(again).get("status").asString()).isEqualTo("deployed");
    assertThat(factory.tokenCount().send().intValue()).as("one deployment").isEqualTo(1);
    assertThat(
            AssetTokenFactory.load(
                    d.factory(),
                    web3j,
                    ContractDeployer.transactionManager(web3j, DevAccounts.admin(), d.chainId()),
                    gas)
                .tokenOf("AAPL")
                .send())
        .as("only on the chain asked")
        .isEqualTo("0x" + "0".repeat(40));
    ApiClient.assertProblem(
        api.post("/v1/tokens/MSFT/ensure_deployed", sandbox.apiKey(), "{\"chain\": \"base\"}"),
        404,
        "asset_not_found");
    ApiClient.assertProblem(
        api.post("/v1/tokens/AAPL/ensure_deployed", sandbox.apiKey(), "{\"chain\": \"solana\"}"),
        400,
        "invalid_request");
    arb.shutdown();
  }
}
