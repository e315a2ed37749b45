package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lockstep.contracts.ReserveReport;
import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.contracts.generated.ReserveFeed;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.keeper.tx.OrderBookCalls;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;

/**
 * Proof of reserve on the sandbox: each token's {@code ReserveFeed} carries the broker's signed
 * custody, relayed by the keeper (the first mint's, then before each mint settle the feed would
 * refuse); the factory refuses a mint that takes the supply above it, whoever mints; with the
 * broker's reserve attester down and the clock moved past the factory's {@code maxReserveAge} the
 * stale reserve stops minting (an API mint waits {@code filled}) until a fresh report arrives.
 */
class ProofOfReserveIT {
  private static final BigInteger SHARE = BigInteger.TEN.pow(6);
  private static Sandbox sandbox;
  private static ApiClient api;
  private static Web3j web3j;
  private static ChainDeployment base;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0, Path.of("target", "proof-of-reserve-it"), 1);
    api = new ApiClient(sandbox.apiUrl());
    base = sandbox.deployments().get(8453L);
    web3j = Web3j.build(new HttpService(base.rpcUrl()));
  }

  @AfterAll
  static void stop() {
    web3j.shutdown();
    sandbox.close();
  }

  private static final String MINT =
      """
      {"asset": "SPY", "quantity": %d, "settlement": {"currency": "USDC", "chain": "base"}}""";

  private static String createMint(int shares, String idempotencyKey) throws Exception {
    HttpResponse<String> r =
        api.post("/v1/mints", sandbox.apiKey(), MINT.formatted(shares), idempotencyKey);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return "/v1/mints/" + body(r).path("id").asString();
  }

  private static AssetTokenFactory factory() {
    return AssetTokenFactory.load(
        base.factory(),
        web3j,
        ContractDeployer.transactionManager(web3j, DevAccounts.minter(), base.chainId()),
        ContractDeployer.devnetGas(base.chainId()));
  }

  private static ReserveFeed feed() throws Exception {
    return ReserveFeed.load(
        factory().reserveFeedOf("SPY").send(),
        web3j,
        new ReadonlyTransactionManager(web3j, base.factory()),
        ContractDeployer.devnetGas(base.chainId()));
  }

  private static BigInteger supply() throws Exception {
    return AssetToken.load(
            factory().tokenOf("SPY").send(),
            web3j,
            new ReadonlyTransactionManager(web3j, base.factory()),
            ContractDeployer.devnetGas(base.chainId()))
        .totalSupply()
        .send();
  }

  /** The custom error a minter's {@code mint} of {@code quantity} would revert with, if any. */
  private static String mintRevert(BigInteger quantity) throws Exception {
    String data =
        FunctionEncoder.encode(
            new Function(
                "mint",
                List.of(
                    new Utf8String("SPY"),
                    new Address(DevAccounts.wallet(4).getAddress()),
                    new Uint256(quantity)),
                List.of()));
    var call =
        web3j
            .ethCall(
                Transaction.createEthCallTransaction(
                    DevAccounts.minter().getAddress(), base.factory(), data),
                DefaultBlockParameterName.LATEST)
            .send();
    if (!call.isReverted()) {
      return "";
    }
    String revert =
        call.getError() == null
            ? call.getValue()
            : String.valueOf(call.getError().getData()).replace("\"", "");
    return OrderBookCalls.REVERTS.decodeError(revert).map(e -> e.name()).orElse(revert);
  }

  private static int count(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(sandbox.databaseUrl());
        ResultSet r = c.createStatement().executeQuery(sql)) {
      r.next();
      return r.getInt(1);
    }
  }

  @Test
  void theBrokersReserveCapsMintingOnChain_andAStaleOneStopsIt() throws Exception {
    // The first mint deploys SPY and its feed; the keeper then relays the broker's custody.
    api.awaitStatus(createMint(2, "por-mint-1"), sandbox.apiKey(), "settled");
    ReserveFeed feed = feed();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> feed.latestRoundData().send().component1().signum() > 0);
    var first = feed.latestRoundData().send();
    assertThat(first.component2()).as("custody after the first mint").isEqualTo(SHARE.shiftLeft(1));
    assertThat(supply()).isEqualTo(SHARE.shiftLeft(1));

    // A second mint crosses that reserve: the keeper relays the grown custody before its settle.
    api.awaitStatus(createMint(3, "por-mint-2"), sandbox.apiKey(), "settled");
    var second = feed.latestRoundData().send();
    assertThat(second.component1()).isGreaterThan(first.component1());
    assertThat(second.component2())
        .as("custody of 5 shares")
        .isEqualTo(SHARE.multiply(BigInteger.valueOf(5)));
    assertThat(supply()).isEqualTo(SHARE.multiply(BigInteger.valueOf(5)));
    // Relayed by the keeper's key, which holds no attester role: the answer is the broker's word.
    assertThat(
            count(
                "SELECT count(*) FROM keeper.tx_intents WHERE action = 'report_reserve'"
                    + " AND status = 'confirmed' AND signer = '"
                    + DevAccounts.keeper().getAddress().toLowerCase()
                    + "'"))
        .isGreaterThanOrEqualTo(2);
    byte[] digest =
        ReserveReport.digest(
            base.chainId(),
            feed.getContractAddress(),
            factory().tokenOf("SPY").send(),
            BigInteger.ONE,
            7,
            3);
    assertThat(Numeric.toHexString(digest))
        .as("the Java EIP-712 digest is the feed's")
        .isEqualTo(
            Numeric.toHexString(
                feed.reserveDigest(BigInteger.ONE, BigInteger.valueOf(7), BigInteger.valueOf(3))
                    .send()));

    // Whoever mints, the factory refuses to take the supply above the published reserve.
    assertThat(mintRevert(BigInteger.ONE)).isEqualTo("AssetTokenFactoryReserveExceeded");
    assertThatThrownBy(
            () -> factory().mint("SPY", DevAccounts.wallet(4).getAddress(), BigInteger.ONE).send())
        .as("reverted on chain")
        .isInstanceOf(TransactionException.class);
    assertThat(supply()).isEqualTo(SHARE.multiply(BigInteger.valueOf(5)));

    // The broker's reserve attester goes down and three days pass: the reserve is stale (the
    // factory's maxReserveAge is two days), so no mint is possible, not even within the reserve.
    sandbox.daemon().broker().attestReserves(false);
    HttpResponse<String> moved =
        api.post("/v1/sandbox/clock", sandbox.apiKey(), "{\"advance\": \"P3D\"}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
    String stale = createMint(1, "por-mint-stale");
    api.awaitStatus(stale, sandbox.apiKey(), "filled");
    assertThat(mintRevert(BigInteger.ONE)).isEqualTo("AssetTokenFactoryReserveStale");
    // The keeper holds its settle (sent, it would revert): still filled several rounds later, and
    // no settle of it was sent or simulated.
    Thread.sleep(3_000);
    JsonNode waiting = body(api.get(stale, sandbox.apiKey()));
    assertThat(waiting.path("status").asString()).as(waiting.toString()).isEqualTo("filled");
    assertThat(
            count(
                "SELECT count(*) FROM keeper.tx_intents WHERE action = 'settle' AND status <> 'confirmed'"))
        .isZero();

    // The attester is back: the keeper relays a fresh report and the mint settles.
    sandbox.daemon().broker().attestReserves(true);
    api.awaitStatus(stale, sandbox.apiKey(), "settled");
    var fresh = feed.latestRoundData().send();
    Instant now = sandbox.daemon().clock().instant();
    assertThat(fresh.component4().longValueExact())
        .as("dated after the clock moved")
        .isGreaterThan(now.minus(Duration.ofDays(1)).getEpochSecond());
    assertThat(fresh.component2()).isEqualTo(SHARE.multiply(BigInteger.valueOf(6)));
    assertThat(supply()).isEqualTo(SHARE.multiply(BigInteger.valueOf(6)));
  }
}
