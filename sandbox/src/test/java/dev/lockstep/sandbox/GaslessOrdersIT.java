package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.auth.Scope;
import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.contracts.generated.TestStablecoin;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.holder.HolderSigning;
import dev.lockstep.ports.Mode;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;

/**
 * Holders who keep their own keys, on real anvil and PostgreSQL: a wallet with zero ETH, linked to
 * the tenant by a signed challenge, signs the quote's EIP-712 order intent and EIP-2612 permit; the
 * tenant's settlement wallet relays {@code OrderBook.createWithIntent}; the order is the holder's,
 * settles like any order and pays (or mints to) the holder, who never spends gas. A replayed
 * intent, a wrong signature and an unproven wallet are refused.
 */
class GaslessOrdersIT {
  private static final BigInteger SHARE = BigInteger.valueOf(1_000_000);
  private static Sandbox sandbox;
  private static ApiClient api;
  private static Web3j web3j;
  private static ChainDeployment d;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0, Path.of("target", "gasless-it"));
    api = new ApiClient(sandbox.apiUrl());
    d = sandbox.deployment();
    web3j = Web3j.build(new HttpService(d.rpcUrl()));
  }

  @AfterAll
  static void stop() {
    web3j.shutdown();
    sandbox.close();
  }

  private static BigInteger eth(String wallet) throws Exception {
    return web3j.ethGetBalance(wallet, DefaultBlockParameterName.LATEST).send().getBalance();
  }

  private static TestStablecoin usdc() {
    return TestStablecoin.load(
        d.usdc(),
        web3j,
        ContractDeployer.transactionManager(web3j, DevAccounts.admin(), d.chainId()),
        ContractDeployer.devnetGas(d.chainId()));
  }

  private static BigInteger aapl(String wallet) throws Exception {
    var factory =
        AssetTokenFactory.load(
            d.factory(),
            web3j,
            ContractDeployer.transactionManager(web3j, DevAccounts.admin(), d.chainId()),
            ContractDeployer.devnetGas(d.chainId()));
    return AssetToken.load(
            factory.tokenOf("AAPL").send(),
            web3j,
            ContractDeployer.transactionManager(web3j, DevAccounts.admin(), d.chainId()),
            ContractDeployer.devnetGas(d.chainId()))
        .balanceOf(wallet)
        .send();
  }

  /**
   * {@code POST /v1/quotes} for the holder {@code wallet}: the answer's raw JSON (201 asserted).
   */
  private static String quote(String key, String side, String quantity, String wallet)
      throws Exception {
    HttpResponse<String> r =
        api.post(
            "/v1/quotes",
            key,
            """
            {"side": "%s", "asset": "AAPL", "quantity": %s, "currency": "USDC", "chain": "base", "wallet": "%s"}"""
                .formatted(side, quantity, wallet));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return r.body();
  }

  /** Signs typed data from the quote as a wallet would, with the integrators' helper. */
  private static String sign(JsonNode typedData, Credentials holder) {
    return HolderSigning.signTypedData(
        ApiClient.JSON.writeValueAsString(typedData), holder.getEcKeyPair());
  }

  private static void awaitSettled(String key, String path) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "settled".equals(body(api.get(path, key)).path("status").asString()));
  }

  @Test
  void aHolderWithNoEthRedeemsAndMintsWithSignedIntentsAndPermits() throws Exception {
    String key = sandbox.daemon().apiKeys().create("ten_gasless", Mode.TEST, Scope.FULL);
    Credentials holder = Credentials.create(Keys.createEcKeyPair());
    String w = holder.getAddress();
    ContractFixtures.mint(sandbox, "AAPL", w, 3_000_000);
    assertThat(usdc().mint(w, BigInteger.valueOf(5_000_000_000L)).send().isStatusOK()).isTrue();
    assertThat(eth(w)).isZero();

    // Not linked yet: no signable quote.
    assertProblem(
        api.post(
            "/v1/quotes",
            key,
            """
            {"side": "redeem", "asset": "AAPL", "quantity": 1, "currency": "USDC", "chain": "base", "wallet": "%s"}"""
                .formatted(w)),
        422,
        "wallet_not_linked");
    api.proveWallet(key, holder);

    // Redeem 1 AAPL: quote -> sign intent and permit -> submit.
    JsonNode q = ApiClient.JSON.readTree(quote(key, "redeem", "1", w));
    JsonNode signing = q.get("signing");
    assertThat(signing.get("wallet").asString()).isEqualTo(w);
    assertThat(signing.at("/intent_typed_data/message/destination").asString()).isEqualTo(w);
    assertThat(signing.at("/intent_typed_data/domain/verifyingContract").asString())
        .isEqualTo(d.orderBook().toLowerCase());
    assertThat(signing.get("locked_amount").asString()).isEqualTo("1000000");
    String intentSig = sign(signing.get("intent_typed_data"), holder);
    String permitSig = sign(signing.get("permit_typed_data"), holder);

    // A signature by anyone else is refused before anything is sent.
    Credentials stranger = Credentials.create(Keys.createEcKeyPair());
    assertProblem(
        api.post(
            "/v1/redeems",
            key,
            "{\"quote_id\": \"%s\", \"signature\": \"%s\"}"
                .formatted(
                    q.get("id").asString(), sign(signing.get("intent_typed_data"), stranger))),
        422,
        "intent_signature_invalid");

    BigInteger usdcBefore = usdc().balanceOf(w).send();
    HttpResponse<String> placed =
        api.post(
            "/v1/redeems",
            key,
            "{\"quote_id\": \"%s\", \"signature\": \"%s\", \"permit_signature\": \"%s\"}"
                .formatted(q.get("id").asString(), intentSig, permitSig),
            "gasless-redeem-1");
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    String redeem = body(placed).get("id").asString();
    assertThat(body(placed).get("owner").asString()).isEqualToIgnoringCase(w);
    assertThat(aapl(w)).isEqualTo(BigInteger.valueOf(2_000_000));
    awaitSettled(key, "/v1/redeems/" + redeem);
    JsonNode settled = body(api.get("/v1/redeems/" + redeem, key));
    assertThat(settled.at("/payout/wallet").asString()).isEqualToIgnoringCase(w);
    BigInteger payout =
        new java.math.BigDecimal(settled.at("/payout/amount").asString())
            .movePointRight(6)
            .toBigIntegerExact();
    assertThat(payout).isPositive();
    assertThat(usdc().balanceOf(w).send().subtract(usdcBefore)).isEqualTo(payout);
    // Under user_notional the relay's gas comes back out of the proceeds: the gas charged covers
    // at least what the settlement wallet paid for the create transaction (at the sandbox's ETH
    // mark, 3,000 USD), and stays within the cap the holder signed.
    var relay =
        web3j
            .ethGetTransactionReceipt(settled.get("lock_tx_hash").asString())
            .send()
            .getTransactionReceipt()
            .orElseThrow();
    assertThat(relay.getFrom()).isNotEqualToIgnoringCase(w);
    BigInteger relayCost =
        new java.math.BigDecimal(
                Numeric.decodeQuantity(relay.getEffectiveGasPrice()).multiply(relay.getGasUsed()))
            .multiply(java.math.BigDecimal.valueOf(3000))
            .movePointLeft(12)
            .setScale(0, java.math.RoundingMode.CEILING)
            .toBigIntegerExact();
    BigInteger gasCharged =
        new java.math.BigDecimal(settled.at("/cost/gas_usdc").asString())
            .movePointRight(6)
            .toBigIntegerExact();
    BigInteger cap =
        new java.math.BigDecimal(q.at("/gas/max_gas_usdc").asString())
            .movePointRight(6)
            .toBigIntegerExact();
    assertThat(relayCost).isPositive();
    assertThat(gasCharged).isGreaterThanOrEqualTo(relayCost.min(cap)).isLessThanOrEqualTo(cap);

    // The same signed intent again: its nonce is used, the order book refuses it.
    assertProblem(
        api.post(
            "/v1/redeems",
            key,
            "{\"quote_id\": \"%s\", \"signature\": \"%s\"}"
                .formatted(q.get("id").asString(), intentSig)),
        422,
        "order_refused");

    // Mint 0.5 AAPL paid from the holder's own USDC, signed with the integrators' helper
    // (holder-signing) from the quote's JSON as the API sent it.
    String mq = quote(key, "mint", "0.5", w);
    JsonNode m = ApiClient.JSON.readTree(mq);
    BigInteger lock = new BigInteger(m.at("/signing/locked_amount").asString());
    BigInteger beforeMint = usdc().balanceOf(w).send();
    HolderSigning.OrderSignatures sigs = HolderSigning.signOrder(mq, holder.getEcKeyPair());
    HttpResponse<String> minted =
        api.post(
            "/v1/mints",
            key,
            "{\"quote_id\": \"%s\", \"signature\": \"%s\", \"permit_signature\": \"%s\"}"
                .formatted(m.get("id").asString(), sigs.signature(), sigs.permitSignature()),
            "gasless-mint-1");
    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
    BigInteger afterLock = usdc().balanceOf(w).send();
    awaitSettled(key, "/v1/mints/" + body(minted).get("id").asString());
    assertThat(aapl(w)).isEqualTo(BigInteger.valueOf(2_500_000));
    assertThat(usdc().balanceOf(w).send()).as("the unused lock refunded").isGreaterThan(afterLock);
    assertThat(beforeMint.subtract(afterLock))
        .as("the permit let the book take the lock")
        .isEqualTo(lock);

    assertThat(eth(w)).as("the holder never paid gas").isZero();
  }

  /**
   * A relayed create transaction that stays unmined is replaced by the settlement wallet's engine
   * (same nonce, higher fees); once mining resumes, the retry with the same Idempotency-Key answers
   * the one order, created once.
   */
  @Test
  void aStuckRelayedTransactionIsReplacedAndStillCreatesTheOrderOnce() throws Exception {
    String tenant = "ten_gasless_stuck";
    String key = sandbox.daemon().apiKeys().create(tenant, Mode.TEST, Scope.FULL);
    Credentials holder = Credentials.create(Keys.createEcKeyPair());
    String w = holder.getAddress();
    ContractFixtures.mint(sandbox, "AAPL", w, 1_000_000);
    api.proveWallet(key, holder);
    String qr = quote(key, "redeem", "1", w);
    HolderSigning.OrderSignatures sigs = HolderSigning.signOrder(qr, holder.getEcKeyPair());
    String json =
        "{\"quote_id\": \"%s\", \"signature\": \"%s\", \"permit_signature\": \"%s\"}"
            .formatted(
                ApiClient.JSON.readTree(qr).get("id").asString(),
                sigs.signature(),
                sigs.permitSignature());
    // The settlement wallet's first spend (its opening grant) is mined before mining stops.
    HttpResponse<String> grant =
        api.post(
            "/v1/sandbox/faucet",
            key,
            "{\"currency\": \"USDC\", \"chain\": \"base\", \"amount\": 1}");
    assertThat(grant.statusCode()).as(grant.body()).isEqualTo(201);

    String intentKey =
        "create:api:test:" + tenant + ":" + dev.lockstep.api.auth.ApiKeys.sha256("stuck-1");
    var node = sandbox.anvil(Sandbox.CHAIN_ID);
    HttpResponse<String> first;
    node.automine(false);
    try {
      // The POST waits 25 s for the create to be mined: a client timeout above that.
      first =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(sandbox.apiUrl() + "/v1/redeems"))
                      .header("Authorization", "Bearer " + key)
                      .header("Content-Type", "application/json")
                      .header("Idempotency-Key", "stuck-1")
                      .timeout(Duration.ofSeconds(60))
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertProblem(first, 503, "order_pending");
      await().atMost(Duration.ofSeconds(40)).until(() -> attempts(intentKey, "replacement") >= 1);
    } finally {
      node.automine(true);
      node.mine(1);
    }
    HttpResponse<String> retry =
        api.send("POST", "/v1/redeems", key, json, java.util.Map.of("Idempotency-Key", "stuck-1"));
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(body(retry).get("owner").asString()).isEqualToIgnoringCase(w);
    try (var c = java.sql.DriverManager.getConnection(sandbox.databaseUrl())) {
      var rs =
          c.createStatement()
              .executeQuery(
                  "SELECT count(*) FROM indexer.orders WHERE chain_id = "
                      + Sandbox.CHAIN_ID
                      + " AND owner = '"
                      + w.toLowerCase()
                      + "'");
      rs.next();
      assertThat(rs.getInt(1)).as("one order for the holder").isEqualTo(1);
    }
    assertThat(attempts(intentKey, "original")).isEqualTo(1);
    assertThat(aapl(w)).isZero();
  }

  private static int attempts(String intentKey, String kind) throws Exception {
    try (var c = java.sql.DriverManager.getConnection(sandbox.databaseUrl());
        var ps =
            c.prepareStatement(
                "SELECT count(*) FROM keeper.tx_attempts a JOIN keeper.tx_intents i ON i.id = a.intent_id"
                    + " WHERE i.idempotency_key = ? AND a.kind = ?")) {
      ps.setString(1, intentKey);
      ps.setString(2, kind);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
