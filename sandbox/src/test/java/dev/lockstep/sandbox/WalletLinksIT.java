package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.auth.Scope;
import dev.lockstep.contracts.generated.TestSmartWallet;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.holder.HolderSigning;
import dev.lockstep.ports.Mode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;

/**
 * Proven wallets on real anvil and PostgreSQL: an EOA and an ERC-1271 contract wallet link
 * themselves to a tenant by signing the API's EIP-712 challenge; used, expired, foreign and wrongly
 * signed challenges are refused with their codes; and a tenant that names another holder's wallet
 * in a customer without proof reads, cancels and is notified of nothing of that wallet, until it
 * proves it.
 */
class WalletLinksIT {
  private static final MovableClock clock = new MovableClock();
  private static Sandbox sandbox;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0, Path.of("target", "wallet-links-it"), 1, clock, Map.of());
    api = new ApiClient(sandbox.apiUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static JsonNode challenge(String key, String wallet) throws Exception {
    HttpResponse<String> r =
        api.post("/v1/wallet_challenges", key, "{\"wallet\": \"" + wallet + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return body(r);
  }

  private static HttpResponse<String> link(String key, JsonNode challenge, byte[] signature)
      throws Exception {
    return api.post(
        "/v1/wallet_links",
        key,
        "{\"challenge_id\": \"%s\", \"signature\": \"%s\"}"
            .formatted(challenge.get("id").asString(), Numeric.toHexString(signature)));
  }

  /** The challenge's EIP-712 digest computed here from the typed data it hands out. */
  private static byte[] digestOfTypedData(JsonNode challenge) throws Exception {
    return new StructuredDataEncoder(ApiClient.JSON.writeValueAsString(challenge.get("typed_data")))
        .hashStructuredData();
  }

  @Test
  void anEoaLinksWithItsSignatureAndEveryWrongProofIsRefused() throws Exception {
    String key = sandbox.daemon().apiKeys().create("ten_links_eoa", Mode.TEST, Scope.FULL);
    Credentials holder = Credentials.create(Keys.createEcKeyPair());
    String wallet = holder.getAddress();

    JsonNode c = challenge(key, wallet);
    assertThat(c.get("id").asString()).startsWith("wch_");
    assertThat(c.get("wallet").asString()).isEqualTo(wallet);
    assertThat(c.at("/typed_data/primaryType").asString()).isEqualTo("WalletLink");
    assertThat(c.at("/typed_data/message/tenant").asString()).isEqualTo("ten_links_eoa");
    assertThat(c.at("/typed_data/message/nonce").asString()).isEqualTo(c.get("nonce").asString());
    assertThat(c.at("/typed_data/domain/chainId").asLong()).isEqualTo(c.get("chain_id").asLong());
    byte[] digest = digestOfTypedData(c);
    assertThat(Numeric.toHexString(digest)).isEqualTo(c.get("digest").asString());

    // Signed by someone else: refused, and the challenge stays open for the right signature.
    Credentials stranger = Credentials.create(Keys.createEcKeyPair());
    assertProblem(
        link(key, c, HolderSigning.signDigest(digest, stranger.getEcKeyPair())),
        422,
        "wallet_signature_invalid");
    assertProblem(link(key, c, new byte[65]), 422, "wallet_signature_invalid");
    assertProblem(
        api.post(
            "/v1/wallet_links",
            key,
            "{\"challenge_id\": \"%s\", \"signature\": \"zz\"}".formatted(c.get("id").asString())),
        400,
        "invalid_request");

    // Another tenant cannot answer (or even see) this tenant's challenge.
    String other = sandbox.daemon().apiKeys().create("ten_links_other", Mode.TEST, Scope.FULL);
    assertProblem(
        link(other, c, HolderSigning.signDigest(digest, holder.getEcKeyPair())),
        404,
        "wallet_challenge_not_found");

    HttpResponse<String> linked =
        link(key, c, HolderSigning.signDigest(digest, holder.getEcKeyPair()));
    assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);
    assertThat(body(linked).get("method").asString()).isEqualTo("eoa");
    assertThat(body(linked).get("wallet").asString()).isEqualTo(wallet);
    assertProblem(
        link(key, c, HolderSigning.signDigest(digest, holder.getEcKeyPair())),
        409,
        "wallet_challenge_used");

    JsonNode list = body(api.get("/v1/wallet_links", key));
    assertThat(list.get("data").findValuesAsString("wallet")).containsExactly(wallet);
    assertThat(body(api.get("/v1/wallet_links/" + wallet, key)).get("method").asString())
        .isEqualTo("eoa");
    assertProblem(api.get("/v1/wallet_links/" + wallet, other), 404, "wallet_link_not_found");
    assertThat(body(api.get("/v1/wallet_links", other)).get("data").size()).isZero();

    // A fresh proof of a linked wallet answers 200 (proven again).
    JsonNode again = challenge(key, wallet);
    HttpResponse<String> relinked =
        link(key, again, HolderSigning.signDigest(digestOfTypedData(again), holder.getEcKeyPair()));
    assertThat(relinked.statusCode()).as(relinked.body()).isEqualTo(200);

    // An expired challenge is refused even with the right signature.
    JsonNode late = challenge(key, wallet);
    clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    try {
      assertProblem(
          link(key, late, HolderSigning.signDigest(digestOfTypedData(late), holder.getEcKeyPair())),
          422,
          "wallet_challenge_expired");
    } finally {
      clock.advance(Duration.ofMinutes(-10).minusSeconds(1));
    }
  }

  @Test
  void anErc1271ContractWalletLinksWithItsOwnersSignature() throws Exception {
    String key = sandbox.daemon().apiKeys().create("ten_links_1271", Mode.TEST, Scope.FULL);
    Credentials owner = Credentials.create(Keys.createEcKeyPair());
    var d = sandbox.deployment();
    Web3j web3j = Web3j.build(new HttpService(d.rpcUrl()));
    String contract;
    try {
      contract =
          TestSmartWallet.deploy(
                  web3j,
                  ContractDeployer.transactionManager(web3j, DevAccounts.admin(), d.chainId()),
                  ContractDeployer.devnetGas(d.chainId()),
                  owner.getAddress())
              .send()
              .getContractAddress()
              .toLowerCase(Locale.ROOT);
    } finally {
      web3j.shutdown();
    }
    JsonNode c =
        body(
            api.post(
                "/v1/wallet_challenges",
                key,
                "{\"wallet\": \"%s\", \"chain\": \"base\"}".formatted(contract)));
    assertThat(c.get("chain_id").asLong()).isEqualTo(Sandbox.CHAIN_ID);
    byte[] digest = digestOfTypedData(c);
    assertProblem(
        link(
            key,
            c,
            HolderSigning.signDigest(
                digest, Credentials.create(Keys.createEcKeyPair()).getEcKeyPair())),
        422,
        "wallet_signature_invalid");
    HttpResponse<String> linked =
        link(key, c, HolderSigning.signDigest(digest, owner.getEcKeyPair()));
    assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);
    assertThat(body(linked).get("method").asString()).isEqualTo("erc1271");
    assertThat(body(linked).get("wallet").asString()).isEqualTo(contract);
  }

  @Test
  void aTenantNamingAnotherHoldersWalletWithoutProofSeesAndTouchesNothingOfItUntilItProvesIt()
      throws Exception {
    Credentials holder = DevAccounts.wallet(3); // proven by the sandbox tenant at start
    String w = holder.getAddress().toLowerCase(Locale.ROOT);
    String unknown = Credentials.create(Keys.createEcKeyPair()).getAddress();
    String owner = sandbox.apiKey();
    String intruder =
        sandbox.daemon().apiKeys().create("ten_links_intruder", Mode.TEST, Scope.FULL);

    // The intruder registers the holder's wallet as its customer, and subscribes to its events.
    HttpResponse<String> customer =
        api.post(
            "/v1/customers",
            intruder,
            "{\"external_id\": \"not-mine\", \"wallet\": \"" + w + "\"}");
    assertThat(customer.statusCode()).as(customer.body()).isEqualTo(201);
    assertThat(body(customer).get("wallet_proven").asBoolean()).isFalse();
    String hook =
        body(api.post(
                "/v1/webhooks",
                intruder,
                "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"redeem.created\"]}"))
            .get("id")
            .asString();
    String ownersHook =
        body(api.post(
                "/v1/webhooks",
                owner,
                "{\"url\": \"http://127.0.0.1:9/hook\", \"events\": [\"redeem.created\"]}"))
            .get("id")
            .asString();

    long orderId = ContractFixtures.createRedeem(sandbox, holder, "AAPL", 1_000_000);
    String redeem = "rdm_" + Sandbox.CHAIN_ID + "_" + orderId;
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/v1/redeems/" + redeem, owner).statusCode() == 200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                body(api.get("/v1/webhooks/" + ownersHook + "/deliveries", owner))
                        .get("data")
                        .size()
                    >= 1);

    // Everything the intruder asks about the wallet answers as for a wallet nobody knows.
    String missing = "rdm_" + Sandbox.CHAIN_ID + "_999999";
    sameAnswer(
        api.get("/v1/redeems/" + redeem, intruder), api.get("/v1/redeems/" + missing, intruder));
    sameAnswer(
        api.post("/v1/redeems/" + redeem + "/cancel", intruder, null),
        api.post("/v1/redeems/" + missing + "/cancel", intruder, null));
    sameAnswer(
        api.get("/v1/redeems?wallet=" + w, intruder),
        api.get("/v1/redeems?wallet=" + unknown, intruder));
    sameAnswer(
        api.get("/v1/positions?wallet=" + w, intruder),
        api.get("/v1/positions?wallet=" + unknown, intruder));
    sameAnswer(
        api.get("/v1/positions/AAPL?wallet=" + w, intruder),
        api.get("/v1/positions/AAPL?wallet=" + unknown, intruder));
    assertThat(body(api.get("/v1/redeems", intruder)).get("data").size()).isZero();
    HttpResponse<String> events = api.get("/v1/events", intruder);
    // Public events (a token deployed) are everyone's; nothing of the wallet is among them.
    assertThat(events.body().toLowerCase(Locale.ROOT)).doesNotContain(w);
    assertThat(body(events).get("data").findValuesAsString("type"))
        .noneMatch(t -> t.startsWith("redeem."));
    assertThat(body(api.get("/v1/events", owner)).get("data").findValuesAsString("type"))
        .contains("redeem.created");
    assertThat(body(api.get("/v1/webhooks/" + hook + "/deliveries", intruder)).get("data").size())
        .isZero();
    assertThat(
            body(api.get("/v1/customers?min_notional=0.000001", intruder))
                .get("data")
                .findValuesAsString("external_id"))
        .doesNotContain("not-mine");
    // The redeem was not cancelled by the intruder's attempt.
    assertThat(body(api.get("/v1/redeems/" + redeem, owner)).get("status").asString())
        .isNotEqualTo("cancelled");

    // Once the intruder proves the wallet (it holds the key now), it sees it like the owner.
    api.proveWallet(intruder, holder);
    assertThat(api.get("/v1/redeems/" + redeem, intruder).statusCode()).isEqualTo(200);
    assertThat(
            body(api.get("/v1/customers?external_id=not-mine", intruder))
                .at("/data/0/wallet_proven")
                .asBoolean())
        .isTrue();
  }

  /** Same status and the same problem code (or the same list size), whatever the details say. */
  private static void sameAnswer(HttpResponse<String> foreign, HttpResponse<String> unknown) {
    assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(unknown.statusCode());
    JsonNode a = body(foreign);
    JsonNode b = body(unknown);
    assertThat(a.path("code").asString()).isEqualTo(b.path("code").asString());
    assertThat(a.path("data").size()).as(foreign.body()).isEqualTo(b.path("data").size());
  }
}
