package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.contracts.generated.TestStablecoin;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;

/**
 * Orders through the API on a real sandbox (anvil chains, PostgreSQL, the daemon): quotes, mints
 * and redeems the tenant's settlement wallet pays for and receives, checked against the chain's
 * balances to the base unit; developer fees, both gas sponsors, quote expiry, insufficient funds
 * and an Idempotency-Key replay.
 */
class OrdersApiIT {
  private static final BigInteger UNIT = BigInteger.TEN.pow(6);
  private static Sandbox sandbox;
  private static ApiClient api;
  private static MovableClock clock;
  private static Web3j web3j;
  private static ChainDeployment base;
  private static String wallet;

  @BeforeAll
  static void start() throws Exception {
    clock = new MovableClock();
    sandbox = Sandbox.start(0, Path.of("target", "orders-api-it"), 1, clock, Map.of());
    api = new ApiClient(sandbox.apiUrl());
    base = sandbox.deployments().get(8453L);
    web3j = Web3j.build(new HttpService(base.rpcUrl()));
    wallet =
        body(api.get("/v1/settlement_wallets", sandbox.apiKey())).at("/data/0/address").asString();
  }

  @AfterAll
  static void stop() {
    web3j.shutdown();
    sandbox.close();
  }

  /** ERC-20 {@code balanceOf} (a stablecoin's or an asset token's) at the latest block. */
  private static BigInteger stable(String token, String holder) throws Exception {
    return TestStablecoin.load(
            token,
            web3j,
            new ReadonlyTransactionManager(web3j, holder),
            ContractDeployer.devnetGas(base.chainId()))
        .balanceOf(holder)
        .send();
  }

  private static BigInteger units(JsonNode n) {
    return new BigDecimal(n.asString()).movePointRight(6).toBigIntegerExact();
  }

  private static JsonNode awaitStatus(String path, String status) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last[0] = body(api.get(path, sandbox.apiKey()));
              return last[0].path("status").asString().equals(status);
            });
    return last[0];
  }

  /** The tenant's newest event of {@code type} whose data has {@code field} = {@code value}. */
  private static JsonNode eventOf(String type, String field, String value) throws Exception {
    for (JsonNode e :
        body(api.get("/v1/events?limit=100&type=" + type, sandbox.apiKey())).path("data")) {
      if (value.equals(e.path("data").path(field).asString())) {
        return e;
      }
    }
    return null;
  }

  /** POSTs a mint ({@code json}) that must be accepted, and waits for it to settle. */
  private static JsonNode mintSettled(String json, String key) throws Exception {
    HttpResponse<String> r = post("/v1/mints", json, key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return awaitStatus("/v1/mints/" + body(r).path("id").asString(), "settled");
  }

  private static HttpResponse<String> post(String path, String json, String key) throws Exception {
    return api.post(path, sandbox.apiKey(), json, key);
  }

  /**
   * A custodial mint of an asset no one has minted on base: the order locks the quote's total, the
   * settle deploys the token in the same transaction, and the wallet pays exactly notional +
   * platform fee + gas charged; the tokens arrive in the settlement wallet and in positions.
   */
  @Test
  void custodialMintAutoDeploysAndChargesExactly() throws Exception {
    BigInteger usdcBefore = stable(base.usdc(), wallet);
    HttpResponse<String> r =
        post(
            "/v1/mints",
            """
            {"asset": "SPY", "quantity": 2.5, "settlement": {"currency": "USDC", "chain": "base"},
             "slippage_bps": 50}""",
            "mint-spy-1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode created = body(r);
    String id = created.path("id").asString();
    assertThat(id).startsWith("mnt_8453_");
    assertThat(created.path("status").asString()).isIn("queued", "filled", "settled");
    assertThat(created.path("lock_tx_hash").asString()).startsWith("0x");

    JsonNode m = awaitStatus("/v1/mints/" + id, "settled");
    assertThat(m.at("/contract/auto_deployed").asBoolean()).isTrue();
    assertThat(m.at("/settlement/tx_hash").asString()).startsWith("0x");
    assertThat(m.path("settled_at").isMissingNode()).isFalse();
    BigInteger notional = units(m.path("notional_usdc"));
    BigInteger fee = units(m.at("/platform_fee/amount_usdc"));
    BigInteger gas = units(m.at("/cost/gas_usdc"));
    BigInteger costs = units(m.at("/cost/broker_usdc"));
    // 2.5 SPY at the sandbox mark 512.30, the tier's 30 bps rounded up, gas within its cap.
    assertThat(notional).isEqualTo(new BigInteger("1280750000"));
    assertThat(fee).isEqualTo(new BigInteger("3842250"));
    assertThat(gas).isPositive().isLessThanOrEqualTo(units(m.at("/gas/max_gas_usdc")));
    String token = m.at("/contract/address").asString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                stable(base.usdc(), wallet)
                    .equals(usdcBefore.subtract(notional.add(costs).add(fee).add(gas))));
    assertThat(stable(token, wallet)).isEqualTo(new BigInteger("2500000"));
    JsonNode pos = body(api.get("/v1/positions/SPY?wallet=" + wallet, sandbox.apiKey()));
    assertThat(pos.path("quantity").asString()).isEqualTo("2.500000");
    // The catalog as the reference shows it: the SPV and its attestation, the yield net of fees.
    assertThat(pos.at("/yield/gross_apy_bps").asInt()).isEqualTo(130);
    assertThat(pos.at("/yield/net_apy_bps").asInt()).isEqualTo(115);
    assertThat(pos.path("attestation_url").asString()).endsWith("/attestations/SPY/latest");
    JsonNode spy = body(api.get("/v1/tokens/SPY", sandbox.apiKey()));
    assertThat(spy.path("spv_id").asString()).isEqualTo("spv_sbx_spy");
    assertThat(spy.path("attestation_url").asString())
        .isEqualTo(pos.path("attestation_url").asString());
    // The stream tells the lifecycle in order: filled (the broker's fill, with its notional) before
    // settled.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> eventOf("mint.settled", "mint_id", id) != null);
    JsonNode filled = eventOf("mint.filled", "mint_id", id);
    assertThat(filled).as("mint.filled of " + id).isNotNull();
    assertThat(filled.at("/data/gross_notional").asString()).isEqualTo("1280.750000");
    assertThat(filled.at("/data/asset").asString()).isEqualTo("SPY");
    JsonNode all = body(api.get("/v1/events?limit=100&type=mint.*", sandbox.apiKey()));
    List<String> order = new java.util.ArrayList<>();
    for (JsonNode e : all.path("data")) {
      if (id.equals(e.at("/data/mint_id").asString())) {
        order.addFirst(e.path("type").asString()); // the list is newest first
      }
    }
    assertThat(order).containsSubsequence("mint.filled", "mint.settled");
    // It is listed among the tenant's mints, and the last page says so.
    JsonNode list = body(api.get("/v1/mints?limit=100", sandbox.apiKey()));
    assertThat(list.path("data").findValuesAsString("id")).contains(id);
    assertThat(list.path("next_cursor").isNull()).isTrue();
  }

  /**
   * A redeem of AAPL the wallet minted, paid out in USDT: the USDT balance grows by exactly the
   * payout, which is gross − fees − gas and at least the minimum.
   */
  @Test
  void custodialRedeemPaysOutInUsdt() throws Exception {
    JsonNode minted =
        mintSettled(
            """
            {"asset": "AAPL", "quantity": 10, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "mint-aapl-for-redeem");
    String mintId = minted.path("id").asString();
    BigInteger usdtBefore = stable(base.usdt(), wallet);
    HttpResponse<String> r =
        post(
            "/v1/redeems",
            """
            {"position_id": "%s", "quantity": 4, "payout": {"currency": "USDT"}}"""
                .formatted(mintId),
            "redeem-aapl-1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String id = body(r).path("id").asString();
    assertThat(id).startsWith("rdm_8453_");
    JsonNode red = awaitStatus("/v1/redeems/" + id, "settled");
    BigInteger payout = units(red.at("/payout/amount"));
    BigInteger gross = units(red.at("/payout/gross_notional"));
    assertThat(red.at("/payout/currency").asString()).isEqualTo("USDT");
    assertThat(payout).isGreaterThanOrEqualTo(units(red.at("/payout/min_notional")));
    assertThat(payout)
        .isEqualTo(
            gross
                .subtract(units(red.at("/cost/broker_usdc")))
                .subtract(units(red.at("/platform_fee/amount_usdc")))
                .subtract(units(red.at("/cost/gas_usdc"))));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stable(base.usdt(), wallet).equals(usdtBefore.add(payout)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> eventOf("redeem.filled", "redeem_id", id) != null);
    assertThat(eventOf("redeem.filled", "redeem_id", id).at("/data/gross_notional").asString())
        .isEqualTo(red.at("/payout/gross_notional").asString());
  }

  /**
   * A developer fee accrues in the book's escrow and shows in GET /v1/fees; the developer gas
   * sponsor takes a deposit and refunds what the settle did not charge, the user_notional one
   * deducts it from the lock.
   */
  @Test
  void developerFeeAndBothGasSponsors() throws Exception {
    String destination = "0x9f2c00000000000000000000000000000000beef";
    BigInteger before = stable(base.usdc(), wallet);
    HttpResponse<String> r =
        post(
            "/v1/mints",
            """
            {"asset": "NVDA", "quantity": 3, "settlement": {"currency": "USDC", "chain": "base"},
             "gas": {"sponsor": "developer", "max_gas_usdc": 4},
             "developer_fee": {"amount_bps": 25, "destination": "%s"}}"""
                .formatted(destination),
            "mint-nvda-devfee");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode m = awaitStatus("/v1/mints/" + body(r).path("id").asString(), "settled");
    assertThat(m.at("/gas/sponsor").asString()).isEqualTo("developer");
    assertThat(m.at("/gas/max_gas_usdc").asString()).isEqualTo("4.000000");
    BigInteger devFee = units(m.at("/developer_fee/amount_usdc"));
    // 3 NVDA at 121.10 = 363.30; 25 bps of it rounded up.
    assertThat(devFee).isEqualTo(new BigInteger("908250"));
    BigInteger paid =
        units(m.path("notional_usdc"))
            .add(units(m.at("/cost/broker_usdc")))
            .add(units(m.at("/platform_fee/amount_usdc")))
            .add(devFee)
            .add(units(m.at("/cost/gas_usdc")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stable(base.usdc(), wallet).equals(before.subtract(paid)));
    JsonNode fees = body(api.get("/v1/fees", sandbox.apiKey()));
    JsonNode row = null;
    for (JsonNode f : fees.path("data")) {
      if (f.path("destination").asString().equals(destination)) {
        row = f;
      }
    }
    assertThat(row).as(fees.toString()).isNotNull();
    assertThat(row.path("accrued_usdc").asString()).isEqualTo("0.908250");
    assertThat(row.path("currency").asString()).isEqualTo("USDC");
    assertThat(row.path("chain").asString()).isEqualTo("base");
  }

  /** A quote holds an order to its terms for 30 s; after that it is refused with quote_expired. */
  @Test
  void quoteReferencedThenExpired() throws Exception {
    HttpResponse<String> q =
        post(
            "/v1/quotes",
            """
            {"side": "mint", "asset": "AAPL", "quantity": 1, "currency": "USDC", "chain": "base",
             "slippage_bps": 200}""",
            "quote-1");
    assertThat(q.statusCode()).as(q.body()).isEqualTo(201);
    JsonNode quote = body(q);
    assertThat(quote.path("notional_usdc").asString()).isEqualTo("187.420000");
    // ceil(187.42 * 1.02) to the base unit
    assertThat(quote.path("max_notional_usdc").asString()).isEqualTo("191.168400");
    assertThat(quote.at("/platform_fee/amount_usdc").asString()).isEqualTo("0.562260");
    assertThat(Instant.parse(quote.path("expires_at").asString()))
        .isEqualTo(Instant.parse(quote.path("created_at").asString()).plusSeconds(30));
    String quoteId = quote.path("id").asString();

    HttpResponse<String> mismatch =
        post(
            "/v1/mints",
            """
            {"quote_id": "%s", "asset": "NVDA", "settlement": {"currency": "USDC", "chain": "base"}}"""
                .formatted(quoteId),
            "mint-quote-mismatch");
    assertProblem(mismatch, 422, "quote_mismatch");

    HttpResponse<String> ok =
        post(
            "/v1/mints",
            """
            {"quote_id": "%s", "settlement": {"chain": "base"}}"""
                .formatted(quoteId),
            "mint-quoted");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    assertThat(body(ok).path("max_notional_usdc").asString()).isEqualTo("191.168400");

    HttpResponse<String> q2 =
        post(
            "/v1/quotes",
            """
            {"side": "redeem", "asset": "AAPL", "quantity": 1, "currency": "USDC", "chain": "base",
             "gas": {"max_gas_usdc": 1}}""",
            "quote-2");
    String expiring = body(q2).path("id").asString();
    // floor(187.42 * 0.99) less the 30 bps fee (0.562260) and the 1 USDC gas cap: the net floor
    assertThat(body(q2).path("min_notional_usdc").asString()).isEqualTo("183.983540");
    clock.advance(Duration.ofSeconds(31));
    HttpResponse<String> late =
        post(
            "/v1/redeems",
            """
            {"quote_id": "%s", "payout": {"currency": "USDC"}}"""
                .formatted(expiring),
            "redeem-late");
    JsonNode p = assertProblem(late, 422, "quote_expired");
    assertThat(p.path("quote_id").asString()).isEqualTo(expiring);
  }

  /**
   * A mint the wallet cannot pay answers insufficient_funds with the amounts, and sends nothing; a
   * redeem of more than the wallet holds answers insufficient_position.
   */
  @Test
  void insufficientFundsSendsNothing() throws Exception {
    int before = mintCount();
    HttpResponse<String> r =
        post(
            "/v1/mints",
            """
            {"asset": "AAPL", "quantity": 100000, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "mint-too-big");
    JsonNode p = assertProblem(r, 422, "insufficient_funds");
    BigInteger required = units(p.path("required_usdc"));
    BigInteger available = units(p.path("available_usdc"));
    assertThat(required).isGreaterThan(available);
    assertThat(units(p.path("shortfall_usdc"))).isEqualTo(required.subtract(available));
    assertThat(available).isEqualTo(stable(base.usdc(), wallet));
    assertThat(mintCount()).isEqualTo(before);
    // A redeem of more AAPL than the wallet holds (it holds some: the token exists on base).
    JsonNode small =
        mintSettled(
            """
            {"asset": "AAPL", "quantity": 0.1, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "mint-small-aapl");
    String aapl = small.at("/contract/address").asString();
    HttpResponse<String> red =
        post(
            "/v1/redeems",
            """
            {"asset": "AAPL", "quantity": 100000, "payout": {"currency": "USDC", "chain": "base"}}""",
            "redeem-too-big");
    JsonNode short_ = assertProblem(red, 422, "insufficient_position");
    assertThat(short_.path("required_quantity").asString()).isEqualTo("100000.000000");
    assertThat(units(short_.path("available_quantity"))).isEqualTo(stable(aapl, wallet));
  }

  /**
   * A redeem larger than the USDT payout pool waits in {@code filled} (its settle reverts in
   * simulation with OrderBookInsufficientLiquidity; nothing is broadcast) and settles by itself
   * once the pool is topped up.
   */
  @Test
  void redeemWaitsForPayoutLiquidityThenSettles() throws Exception {
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> drip =
          post(
              "/v1/sandbox/faucet",
              """
              {"currency": "USDC", "chain": "base", "amount": 10000000}""",
              "pool-test-drip-" + i);
      assertThat(drip.statusCode()).as(drip.body()).isEqualTo(201);
    }
    JsonNode minted =
        mintSettled(
            """
            {"asset": "AAPL", "quantity": 60000, "settlement": {"currency": "USDC", "chain": "base"}}""",
            "pool-test-mint");
    BigInteger pool = stable(base.usdt(), base.orderBook());
    HttpResponse<String> r =
        post(
            "/v1/redeems",
            """
            {"asset": "AAPL", "quantity": 60000, "payout": {"currency": "USDT", "chain": "base"}}""",
            "pool-test-redeem");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String id = body(r).path("id").asString();
    JsonNode filled = awaitStatus("/v1/redeems/" + id, "filled");
    // 60,000 AAPL pay about 11.2M USDT; the pool holds less.
    assertThat(units(filled.at("/payout/min_notional"))).isGreaterThan(pool);
    Thread.sleep(3_000); // several keeper rounds and settle retries
    assertThat(body(api.get("/v1/redeems/" + id, sandbox.apiKey())).path("status").asString())
        .isEqualTo("filled");
    assertThat(stable(base.usdt(), base.orderBook())).isEqualTo(pool);
    // The operator sees it waiting on /metrics.
    assertThat(api.get("/metrics", null).body())
        .contains("keeper_settles_waiting_liquidity{chain_id=\"8453\"} 1.0");
    // The operator's top-up (lockstep payout-pool --top-up) of 1,000,000 USDT from a funded key:
    // not enough yet, the redeem keeps waiting.
    Path dir = Files.createDirectories(Path.of("target", "orders-api-it"));
    Path config = dir.resolve("operator.json");
    Files.writeString(
        config,
        """
        {"database_url": "%s",
         "chains": [{"chain_id": 8453, "name": "base", "rpc_urls": ["%s"], "order_book": "%s",
           "factory": "%s", "tokens": [
             {"symbol": "USDC", "address": "%s", "decimals": 6, "kind": "stablecoin"},
             {"symbol": "USDT", "address": "%s", "decimals": 6, "kind": "stablecoin"}]}]}"""
            .formatted(
                sandbox.databaseUrl(),
                base.rpcUrl(),
                base.orderBook(),
                base.factory(),
                base.usdc(),
                base.usdt()));
    Credentials operator = DevAccounts.wallet(6);
    Path keyFile = dir.resolve("operator.key");
    Files.writeString(
        keyFile,
        Numeric.toHexStringWithPrefixZeroPadded(operator.getEcKeyPair().getPrivateKey(), 64));
    assertThat(
            TestStablecoin.load(
                    base.usdt(),
                    web3j,
                    ContractDeployer.transactionManager(web3j, DevAccounts.admin(), base.chainId()),
                    ContractDeployer.devnetGas(base.chainId()))
                .mint(operator.getAddress(), BigInteger.valueOf(1_000_000).multiply(UNIT))
                .send()
                .isStatusOK())
        .isTrue();
    String topped =
        Cli.run(
            "payout-pool",
            "--config",
            config.toString(),
            "--top-up",
            "--chain",
            "base",
            "--currency",
            "USDT",
            "--amount",
            "1000000",
            "--from-key-file",
            keyFile.toString());
    assertThat(topped).contains("topped up 1000000 USDT on base");
    BigInteger pool2 = stable(base.usdt(), base.orderBook());
    assertThat(pool2).isEqualTo(pool.add(BigInteger.valueOf(1_000_000).multiply(UNIT)));
    String shown = Cli.run("payout-pool", "--config", config.toString());
    assertThat(shown)
        .contains(
            "chain=base chain_id=8453 currency=USDT pool="
                + new BigDecimal(pool2, 6).toPlainString());
    Thread.sleep(3_000);
    assertThat(body(api.get("/v1/redeems/" + id, sandbox.apiKey())).path("status").asString())
        .isEqualTo("filled");
    HttpResponse<String> topUp =
        post(
            "/v1/sandbox/payout_pool",
            """
            {"currency": "USDT", "chain": "base", "amount": 5000000}""",
            "pool-test-topup");
    assertThat(topUp.statusCode()).as(topUp.body()).isEqualTo(201);
    JsonNode settled = awaitStatus("/v1/redeems/" + id, "settled");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                api.get("/metrics", null)
                    .body()
                    .contains("keeper_settles_waiting_liquidity{chain_id=\"8453\"} 0.0"));
    assertThat(units(settled.at("/payout/amount")))
        .isGreaterThanOrEqualTo(units(settled.at("/payout/min_notional")));
  }

  /**
   * A mint whose transaction is not mined within the POST's wait answers 503 order_pending (the
   * Idempotency-Key is freed); the retry with the same key carries on with the same placement and
   * answers the one order it made.
   */
  @Test
  void aMintNotMinedInTimeAnswersPendingAndTheRetryContinuesIt() throws Exception {
    String json =
        """
        {"asset": "NVDA", "quantity": 1, "settlement": {"currency": "USDC", "chain": "base"}}""";
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.apiUrl() + "/v1/mints"))
            .header("Authorization", "Bearer " + sandbox.apiKey())
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", "mint-pending")
            .timeout(Duration.ofSeconds(60))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
            .build();
    var node = sandbox.anvil(base.chainId());
    HttpResponse<String> first;
    node.automine(false);
    try {
      first =
          java.net.http.HttpClient.newHttpClient()
              .send(request, HttpResponse.BodyHandlers.ofString());
    } finally {
      node.automine(true);
      node.mine(1);
    }
    JsonNode pending = assertProblem(first, 503, "order_pending");
    assertThat(pending.path("retryable").asBoolean()).isTrue();
    assertThat(first.headers().firstValue("Retry-After")).hasValue("2");

    HttpResponse<String> retry = post("/v1/mints", json, "mint-pending");
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    String lockTx = body(retry).path("lock_tx_hash").asString();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(sandbox.databaseUrl())) {
      var rs =
          c.createStatement()
              .executeQuery(
                  "SELECT count(*), max(mined_tx_hash) FROM keeper.tx_intents WHERE"
                      + " idempotency_key = 'create:api:test:"
                      + Sandbox.TENANT
                      + ":"
                      + dev.lockstep.api.auth.ApiKeys.sha256("mint-pending")
                      + "'");
      rs.next();
      assertThat(rs.getInt(1)).as("the retry continued the one placement").isEqualTo(1);
      assertThat(rs.getString(2)).isEqualTo(lockTx);
      var orders =
          c.createStatement()
              .executeQuery(
                  "SELECT count(*) FROM indexer.orders WHERE created_tx = '" + lockTx + "'");
      orders.next();
      assertThat(orders.getInt(1)).isEqualTo(1);
    }
    awaitStatus("/v1/mints/" + body(retry).path("id").asString(), "settled");
  }

  /** The same Idempotency-Key returns the first answer verbatim and places one order. */
  @Test
  void idempotencyKeyReplaysTheMint() throws Exception {
    String json =
        """
        {"asset": "AAPL", "quantity": 0.5, "settlement": {"currency": "USDT", "chain": "base"}}""";
    int before = mintCount();
    HttpResponse<String> first = post("/v1/mints", json, "mint-replay");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    HttpResponse<String> again = post("/v1/mints", json, "mint-replay");
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(mintCount()).as("the replay placed no second order").isEqualTo(before + 1);
  }

  private static int mintCount() throws Exception {
    return body(api.get("/v1/mints?limit=100", sandbox.apiKey())).path("data").size();
  }
}
