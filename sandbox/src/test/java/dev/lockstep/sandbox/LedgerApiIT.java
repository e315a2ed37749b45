package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The ledger through the API on the sandbox: a mint and a redeem with a developer fee are booked as
 * balanced entries (lock, broker, payout or refund, fees, gas, issue or burn), each order's account
 * nets to zero once settled, the developer's escrow account holds the fee, entries page by cursor
 * and filter by reference; the settlement preview follows the reference's example; malformed
 * accounts and references are refused.
 */
class LedgerApiIT {
  private static final String DEV = "0x00000000000000000000000000000000000de7de";
  private static Sandbox sandbox;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0, Path.of("target", "ledger-api-it"), 1);
    api = new ApiClient(sandbox.apiUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static List<JsonNode> entries(String query) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    body(api.get("/v1/ledger/entries" + query, sandbox.apiKey())).get("data").forEach(out::add);
    return out;
  }

  private static BigDecimal balance(String account, String currency) throws Exception {
    JsonNode b = body(api.get("/v1/ledger/accounts/" + account + "/balance", sandbox.apiKey()));
    for (JsonNode c : b.get("balances")) {
      if (c.path("currency").asString().equals(currency)) {
        return new BigDecimal(c.path("balance").asString());
      }
    }
    return BigDecimal.ZERO;
  }

  @Test
  void settledOrdersAreBookedAsBalancedEntriesAndTheirAccountsNetToZero() throws Exception {
    String key = sandbox.apiKey();
    HttpResponse<String> mint =
        api.post(
            "/v1/mints",
            key,
            """
            {"asset": "AAPL", "quantity": 3, "settlement": {"currency": "USDC", "chain": "base"},
             "developer_fee": {"amount_bps": 50, "destination": "%s"}}"""
                .formatted(DEV),
            "ledger-mint");
    assertThat(mint.statusCode()).as(mint.body()).isEqualTo(201);
    String mintId = body(mint).path("id").asString();
    JsonNode minted = api.awaitStatus("/v1/mints/" + mintId, key, "settled");
    HttpResponse<String> redeem =
        api.post(
            "/v1/redeems",
            key,
            """
            {"asset": "AAPL", "quantity": 1, "payout": {"currency": "USDC", "chain": "base"},
             "developer_fee": {"amount_bps": 50, "destination": "%s"}}"""
                .formatted(DEV),
            "ledger-redeem");
    assertThat(redeem.statusCode()).as(redeem.body()).isEqualTo(201);
    String redeemId = body(redeem).path("id").asString();
    JsonNode redeemed = api.awaitStatus("/v1/redeems/" + redeemId, key, "settled");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                entries("?reference=" + redeemId).stream()
                    .anyMatch(e -> "burn".equals(e.path("kind").asString())));
    List<String> mintKinds =
        entries("?reference=" + mintId).stream().map(e -> e.path("kind").asString()).toList();
    assertThat(mintKinds)
        .contains("lock", "broker_payment", "platform_fee", "developer_fee", "refund", "issue");
    List<JsonNode> redeemEntries = entries("?reference=" + redeemId);
    assertThat(redeemEntries.stream().map(e -> e.path("kind").asString()))
        .contains("lock", "broker_proceeds", "payout", "platform_fee", "developer_fee", "burn");
    for (JsonNode e : redeemEntries) {
      assertThat(e.path("id").asString()).startsWith("le_");
      assertThat(e.path("order_id").asString()).isEqualTo(redeemId);
      assertThat(e.path("chain").asString()).isEqualTo("base");
    }
    JsonNode payout =
        redeemEntries.stream()
            .filter(e -> "payout".equals(e.path("kind").asString()))
            .findFirst()
            .orElseThrow();
    assertThat(new BigDecimal(payout.path("amount").asString()))
        .isEqualByComparingTo(redeemed.at("/payout/amount").asString());
    assertThat(payout.path("currency").asString()).isEqualTo("USDC");

    // Both orders' accounts net to zero in the stablecoin and the asset once settled.
    long mintOrder = minted.path("order_id").asLong();
    long redeemOrder = redeemed.path("order_id").asLong();
    for (long order : new long[] {mintOrder, redeemOrder}) {
      assertThat(balance("order:8453:" + order, "USDC")).isEqualByComparingTo("0");
      assertThat(balance("order:8453:" + order, "AAPL")).isEqualByComparingTo("0");
    }
    // The developer's escrow holds both fees: the mint's and the redeem's.
    BigDecimal fees =
        new BigDecimal(minted.at("/developer_fee/amount_usdc").asString("0"))
            .add(new BigDecimal(redeemed.at("/developer_fee/amount_usdc").asString("0")));
    assertThat(fees).isPositive();
    assertThat(balance("developer_fees:8453:" + DEV, "USDC")).isEqualByComparingTo(fees);

    // Cursor pages walk the same entries, newest first, without repeats.
    List<String> all = entries("?limit=100").stream().map(e -> e.path("id").asString()).toList();
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          body(
              api.get(
                  "/v1/ledger/entries?limit=3"
                      + (cursor == null ? "" : "&starting_after=" + cursor),
                  key));
      page.get("data").forEach(e -> paged.add(e.path("id").asString()));
      cursor = page.path("has_more").asBoolean() ? page.path("next_cursor").asString() : null;
    } while (cursor != null);
    assertThat(paged).isEqualTo(all).doesNotHaveDuplicates();
  }

  @Test
  void theSettlementPreviewFollowsTheReference() throws Exception {
    String key = sandbox.apiKey();
    JsonNode bps =
        body(
            api.post(
                "/v1/ledger/calculate-settlement",
                key,
                """
                {"amount": 5000, "currency": "USD", "fee_basis_points": 25, "reference_id": "order_abc123"}"""));
    assertThat(bps.path("platform_fee_amount").asString()).isEqualTo("12.500000");
    assertThat(bps.path("net_settlement_amount").asString()).isEqualTo("4987.500000");
    assertThat(bps.path("micro_task").asBoolean()).isFalse();
    assertThat(bps.path("tx_ref").asString()).startsWith("USD-order_abc123-");
    JsonNode micro =
        body(
            api.post(
                "/v1/ledger/calculate-settlement",
                key,
                "{\"amount\": 4.2, \"fee_basis_points\": 25}"));
    assertThat(micro.path("micro_task").asBoolean()).isTrue();
    assertThat(micro.path("platform_fee_amount").asString()).isEqualTo("0.150000");
    assertThat(micro.path("net_settlement_amount").asString()).isEqualTo("4.050000");
  }

  @Test
  void malformedAccountsReferencesAndAmountsAreRefused() throws Exception {
    String key = sandbox.apiKey();
    assertProblem(api.get("/v1/ledger/accounts/nope/balance", key), 400, "invalid_request");
    assertProblem(api.get("/v1/ledger/entries?account=vault:1:x", key), 400, "invalid_request");
    assertProblem(api.get("/v1/ledger/entries?reference=order_1", key), 400, "invalid_request");
    assertProblem(
        api.post("/v1/ledger/calculate-settlement", key, "{\"amount\": -1}"),
        400,
        "invalid_request");
    assertProblem(
        api.post(
            "/v1/ledger/calculate-settlement",
            key,
            "{\"amount\": 10, \"fee_basis_points\": 10001}"),
        400,
        "invalid_request");
    // Another tenant's wallet reads as an empty account, not an error.
    JsonNode other =
        body(
            api.get(
                "/v1/ledger/accounts/wallet:8453:0x000000000000000000000000000000000000dEaD/balance",
                key));
    assertThat(other.get("balances")).isEmpty();
  }
}
