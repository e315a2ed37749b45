package dev.lockstep.sandbox;

import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.contracts.generated.TestStablecoin;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.gas.ContractGasProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The walking-skeleton scenario, driven through the contracts (as a wallet would) and the API (as
 * an integrator would): mint 10 AAPL to a holder; redeem 4 with a 1% slippage bound; the broker
 * fills and the keeper settles; the API shows it settled with the payout tx, the holder holds 6 and
 * the destination's USDC grew by the payout; then a redeem of 3 whose broker leg fails ends
 * cancelled with the 3 AAPL back. Prints each API answer; {@link #run} is true only if every check
 * holds.
 */
public final class RedeemDemo {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final BigInteger SHARE = BigInteger.TEN.pow(6);

  private final Sandbox sandbox;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();
  private boolean ok = true;

  public RedeemDemo(Sandbox sandbox, PrintStream out) {
    this.sandbox = sandbox;
    this.out = out;
  }

  /** Runs the scenario; true if every check held. */
  public boolean run() throws Exception {
    ChainDeployment d = sandbox.deployment();
    Web3j web3j = Web3j.build(new HttpService(d.rpcUrl()));
    try {
      Credentials holder = DevAccounts.wallet(0);
      String destination = DevAccounts.wallet(1).getAddress();
      ContractGasProvider gas = ContractDeployer.devnetGas(d.chainId());
      var asMinter =
          AssetTokenFactory.load(
              d.factory(),
              web3j,
              ContractDeployer.transactionManager(web3j, DevAccounts.minter(), d.chainId()),
              gas);
      var holderTm = ContractDeployer.transactionManager(web3j, holder, d.chainId());
      var usdc = TestStablecoin.load(d.usdc(), web3j, holderTm, gas);
      var book = OrderBook.load(d.orderBook(), web3j, holderTm, gas);

      step("mint 10 AAPL to holder " + holder.getAddress() + " through the factory");
      asMinter.mint("AAPL", holder.getAddress(), BigInteger.TEN.multiply(SHARE)).send();
      String aaplAddress = asMinter.tokenOf("AAPL").send();
      var aapl = AssetToken.load(aaplAddress, web3j, holderTm, gas);
      JsonNode positions =
          await(
              "/v1/positions?wallet=" + holder.getAddress(),
              p -> "10.000000".equals(quantity(p, "AAPL")));
      check("holder's AAPL position is 10", "10.000000".equals(quantity(positions, "AAPL")));

      BigInteger usdcBefore = usdc.balanceOf(destination).send();
      BigInteger minNotional = minNotional(BigInteger.valueOf(4), 100);
      step(
          "redeem 4 AAPL, min notional "
              + new BigDecimal(minNotional, 6)
              + " USDC, payout to "
              + destination);
      String first =
          redeem(aapl, book, d, BigInteger.valueOf(4).multiply(SHARE), minNotional, destination);
      JsonNode settled =
          await("/v1/redeems/" + first, r -> "settled".equals(r.path("status").asString()));
      check("redeem " + first + " is settled", "settled".equals(settled.path("status").asString()));
      String payoutTx = settled.path("payout").path("tx_hash").asString();
      check(
          "settled redeem carries the payout tx hash",
          payoutTx != null && payoutTx.startsWith("0x"));
      BigInteger paid =
          new BigDecimal(settled.path("payout").path("amount").asString("0"))
              .movePointRight(6)
              .toBigIntegerExact();
      check("payout >= min notional", paid.compareTo(minNotional) >= 0);
      positions =
          await(
              "/v1/positions?wallet=" + holder.getAddress(),
              p -> "6.000000".equals(quantity(p, "AAPL")));
      check("holder's AAPL position is 6", "6.000000".equals(quantity(positions, "AAPL")));
      BigInteger usdcAfter = usdc.balanceOf(destination).send();
      check(
          "destination USDC grew by the payout (" + new BigDecimal(paid, 6) + ")",
          usdcAfter.subtract(usdcBefore).equals(paid));

      step("inject a broker failure for AAPL, then redeem 3 AAPL");
      sandbox.daemon().broker().injectFailure("AAPL", 1, "broker_rejected");
      String second =
          redeem(
              aapl,
              book,
              d,
              BigInteger.valueOf(3).multiply(SHARE),
              minNotional(BigInteger.valueOf(3), 100),
              destination);
      JsonNode cancelled =
          await("/v1/redeems/" + second, r -> "cancelled".equals(r.path("status").asString()));
      check(
          "redeem " + second + " is cancelled",
          "cancelled".equals(cancelled.path("status").asString()));
      positions =
          await(
              "/v1/positions?wallet=" + holder.getAddress(),
              p -> "6.000000".equals(quantity(p, "AAPL")));
      check("the 3 AAPL are back: position is 6", "6.000000".equals(quantity(positions, "AAPL")));
      check(
          "on-chain AAPL balance is 6",
          aapl.balanceOf(holder.getAddress()).send().equals(BigInteger.valueOf(6).multiply(SHARE)));
      get("/v1/redeems?wallet=" + holder.getAddress());
      return ok;
    } finally {
      web3j.shutdown();
    }
  }

  private String redeem(
      AssetToken aapl,
      OrderBook book,
      ChainDeployment d,
      BigInteger quantity,
      BigInteger minNotional,
      String destination)
      throws Exception {
    aapl.approve(d.orderBook(), quantity).send();
    TransactionReceipt r =
        book.createRedeem(aapl.getContractAddress(), quantity, d.usdc(), minNotional, destination)
            .send();
    BigInteger orderId = OrderBook.getOrderCreatedEvents(r).getFirst().orderId;
    String id = "rdm_" + d.chainId() + "_" + orderId;
    out.println("  created " + id + " in tx " + r.getTransactionHash());
    return id;
  }

  /** Min notional for {@code shares} of AAPL at the sandbox mark, less {@code slippageBps}. */
  private static BigInteger minNotional(BigInteger shares, int slippageBps) {
    BigDecimal gross = Sandbox.MARKS.get("AAPL").multiply(new BigDecimal(shares));
    return gross
        .multiply(BigDecimal.valueOf(10_000 - slippageBps))
        .divide(BigDecimal.valueOf(10_000))
        .movePointRight(6)
        .setScale(0, RoundingMode.DOWN)
        .toBigIntegerExact();
  }

  private static String quantity(JsonNode positions, String ticker) {
    for (JsonNode p : positions.path("data")) {
      if (ticker.equals(p.path("token").asString())) {
        return p.path("quantity").asString();
      }
    }
    return "0";
  }

  private JsonNode await(String path, Predicate<JsonNode> done) throws Exception {
    Instant deadline = Instant.now().plus(WAIT);
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      last = fetch(path);
      if (done.test(last)) {
        break;
      }
      Thread.sleep(250);
    }
    out.println("  GET " + path + "\n  -> " + last);
    return Objects.requireNonNull(last);
  }

  private void get(String path) throws Exception {
    out.println("  GET " + path + "\n  -> " + fetch(path));
  }

  private JsonNode fetch(String path) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(sandbox.apiUrl() + path))
            .header("Authorization", "Bearer " + sandbox.apiKey())
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    return json.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
  }

  private void step(String what) {
    out.println("== " + what);
  }

  private void check(String what, boolean holds) {
    out.println((holds ? "  ok   " : "  FAIL ") + what);
    ok &= holds;
  }
}
