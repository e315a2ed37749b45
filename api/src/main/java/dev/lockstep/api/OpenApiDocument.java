package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lockstep.api.ApiServer.Route;
import dev.lockstep.api.auth.ApiKeys;
import dev.lockstep.api.auth.KeyRoutes;
import dev.lockstep.api.catalog.CatalogRoutes;
import dev.lockstep.api.catalog.VenueRoutes;
import dev.lockstep.api.customer.Customer;
import dev.lockstep.api.customer.CustomerRequest;
import dev.lockstep.api.order.FeeRoutes;
import dev.lockstep.api.order.MintResource;
import dev.lockstep.api.order.OrderRequests;
import dev.lockstep.api.order.Quote;
import dev.lockstep.api.order.RedeemResource;
import dev.lockstep.api.sandbox.SandboxClockRoutes;
import dev.lockstep.api.sandbox.SandboxReset;
import dev.lockstep.api.wallet.SettlementWalletRoutes;
import dev.lockstep.api.wallet.WalletLinkRoutes;
import dev.lockstep.api.webhook.Delivery;
import dev.lockstep.api.webhook.Webhook;
import dev.lockstep.api.webhook.WebhookRequests;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI 3.1 document of {@link ApiServer#ROUTES}, served at {@code /v1/openapi.json} and
 * rendered as HTML at {@code /docs}. Schemas are generated from the very records the handlers
 * serialise and parse (snake_case, {@code Optional} members not required), so the document cannot
 * drift from the code; every route must have an {@link Op} here or the server refuses to start.
 */
public final class OpenApiDocument {

  private OpenApiDocument() {}

  /**
   * One operation's documentation.
   *
   * @param response the record of one object; listed as a {@code list} page when {@code list}
   * @param query the query parameters (name and description)
   * @param errors error codes the operation can answer besides the common ones
   */
  record Op(
      String summary,
      Optional<Class<?>> body,
      Class<?> response,
      boolean list,
      int status,
      Map<String, String> query,
      List<String> errors) {}

  private static final Map<String, String> PAGE =
      Map.of(
          "limit", "Page size, 1-100 (default 25).",
          "starting_after", "Object id: the page starts after it (older objects).",
          "ending_before", "Object id: the page ends before it (newer objects).");

  private static final Map<String, Op> OPS =
      Map.ofEntries(
          op(
              "GET /v1/chains",
              "List the chains served, their payout currencies and sync state",
              null,
              CatalogRoutes.Chain.class,
              true,
              200,
              PAGE,
              List.of()),
          op(
              "GET /v1/tokens/{ticker}",
              "Retrieve one token of the universe by ticker",
              null,
              CatalogRoutes.Token.class,
              false,
              200,
              Map.of(),
              List.of("asset_not_found")),
          op(
              "GET /v1/tokens",
              "List the asset universe: every ticker the venue prices or that is deployed, with"
                  + " supply per chain and NAV",
              null,
              CatalogRoutes.Token.class,
              true,
              200,
              PAGE,
              List.of()),
          op(
              "GET /v1/positions",
              "List the holdings of the tenant's customers' wallets, with NAV",
              null,
              CatalogRoutes.Position.class,
              true,
              200,
              with(PAGE, "wallet", "Only this customer wallet (0x address)."),
              List.of()),
          op(
              "GET /v1/venues",
              "List the venues that trade the assets' underlyings: time zone, asset classes,"
                  + " whether they fill fractions, clearing cycle, and the session open now or next",
              null,
              VenueRoutes.Venue.class,
              true,
              200,
              Map.of(),
              List.of()),
          op(
              "GET /v1/venues/{id}",
              "Retrieve one venue and where it stands now",
              null,
              VenueRoutes.Venue.class,
              false,
              200,
              Map.of(),
              List.of("venue_not_found")),
          op(
              "GET /v1/venues/{id}/sessions",
              "The venue's sessions overlapping [from, to): overnight, pre-market, core,"
                  + " post-market or dealing, with early closes; orders are routed to the broker"
                  + " while the asset's venue is in session and wait queued otherwise",
              null,
              VenueRoutes.Session.class,
              true,
              200,
              Map.of(
                  "from", "ISO-8601 instant (default now).",
                  "to", "ISO-8601 instant (default from + 7 days; at most 92 days after from)."),
              List.of("venue_not_found")),
          op(
              "POST /v1/tokens/{ticker}/ensure_deployed",
              "Deploy the ticker's token on a chain ahead of its first mint (idempotent): 200 when it"
                  + " exists, 202 while the keeper deploys it; the address is its CREATE2 prediction",
              CatalogRoutes.EnsureDeployedRequest.class,
              CatalogRoutes.TokenDeployment.class,
              false,
              202,
              Map.of(),
              List.of("asset_not_found")),
          op(
              "GET /v1/positions/{ticker}",
              "A customer wallet's holding of one ticker over every chain, with NAV",
              null,
              CatalogRoutes.TickerPosition.class,
              false,
              200,
              Map.of("wallet", "The customer wallet (0x address), required."),
              List.of("asset_not_found", "position_not_found")),
          op(
              "POST /v1/quotes",
              "Price a mint or a redeem at the asset's mark: notional, slippage bound, each fee,"
                  + " estimated gas; an order may reference it (quote_id) for 30 s. With a proven"
                  + " wallet, also the EIP-712 intent and EIP-2612 permit that wallet signs to"
                  + " place the order itself (gasless; held 5 minutes)",
              OrderRequests.QuoteRequest.class,
              Quote.class,
              false,
              201,
              Map.of(),
              List.of("asset_not_found", "price_unavailable", "wallet_not_linked")),
          op(
              "POST /v1/mints",
              "Mint an asset from the tenant's settlement wallet: answers once the order is on"
                  + " chain (queued); settles when the broker fills",
              OrderRequests.MintRequest.class,
              MintResource.class,
              false,
              201,
              Map.of(),
              List.of(
                  "asset_not_found",
                  "price_unavailable",
                  "quote_not_found",
                  "quote_expired",
                  "quote_mismatch",
                  "insufficient_funds",
                  "order_refused",
                  "order_pending",
                  "guardrail_triggered",
                  "market_closed_non_fractional",
                  "settlement_wallets_not_configured",
                  "wallet_not_linked",
                  "intent_signature_invalid",
                  "permit_signature_invalid",
                  "intent_expired")),
          op(
              "GET /v1/mints",
              "List the tenant's mints (or one wallet's), newest first",
              null,
              MintResource.class,
              true,
              200,
              with(PAGE, "wallet", "Only this wallet of the tenant (0x address)."),
              List.of()),
          op(
              "GET /v1/mints/{id}",
              "Retrieve a mint",
              null,
              MintResource.class,
              false,
              200,
              Map.of(),
              List.of("mint_not_found")),
          op(
              "POST /v1/redeems",
              "Redeem an asset held by the tenant's settlement wallet for a stablecoin payout:"
                  + " answers once the tokens are locked on chain",
              OrderRequests.RedeemRequest.class,
              RedeemResource.class,
              false,
              201,
              Map.of(),
              List.of(
                  "asset_not_found",
                  "position_not_found",
                  "price_unavailable",
                  "quote_not_found",
                  "quote_expired",
                  "quote_mismatch",
                  "insufficient_funds",
                  "insufficient_position",
                  "order_refused",
                  "order_pending",
                  "guardrail_triggered",
                  "market_closed_non_fractional",
                  "settlement_wallets_not_configured",
                  "wallet_not_linked",
                  "intent_signature_invalid",
                  "permit_signature_invalid",
                  "intent_expired")),
          op(
              "GET /v1/fees",
              "Developer fees of the tenant's orders per destination: accrued, pending, settled",
              null,
              FeeRoutes.FeeBalance.class,
              true,
              200,
              PAGE,
              List.of()),
          op(
              "GET /v1/reconciliation/daily",
              "The day's reconciliation of on-chain supply (plus amounts in flight) against the"
                  + " prime broker's position, per token and chain: matched, break or pending",
              null,
              dev.lockstep.api.order.ReconciliationRoutes.ReportResource.class,
              false,
              200,
              with(
                  with(PAGE, "date", "The UTC date reported (default: yesterday)."),
                  "starting_after",
                  "The line id (rec_…) the page of lines starts after."),
              List.of()),
          op(
              "POST /v1/fees/settle",
              "Sweep every destination whose accrued developer fees are at least minimum_usdc"
                  + " (default 10) from the book's escrow, once per sweep",
              FeeRoutes.SettleRequest.class,
              FeeRoutes.Settlement.class,
              false,
              202,
              Map.of(),
              List.of()),
          op(
              "GET /v1/ledger/entries",
              "The double-entry ledger of the tenant's money movements, newest first (immutable:"
                  + " a reorg writes reversing entries)",
              null,
              dev.lockstep.api.order.LedgerRoutes.EntryResource.class,
              true,
              200,
              with(
                  with(
                      with(
                          with(
                              PAGE,
                              "account",
                              "Only entries debiting or crediting this account"
                                  + " (<kind>:<chain id>:<qualifier>)."),
                          "reference",
                          "Only the entries of this order (rdm_…, mnt_…) or transaction (0x…)."),
                      "from",
                      "Only entries at or after this instant (ISO-8601)."),
                  "to",
                  "Only entries before this instant (ISO-8601)."),
              List.of()),
          op(
              "GET /v1/ledger/accounts/{id}/balance",
              "An account's credits, debits and balance per currency, over the tenant's entries",
              null,
              dev.lockstep.api.order.LedgerRoutes.BalanceResource.class,
              false,
              200,
              Map.of(),
              List.of()),
          op(
              "POST /v1/ledger/calculate-settlement",
              "Preview a settlement's platform fee and net amount (flat 0.15 under 10, basis"
                  + " points above); nothing is booked",
              dev.lockstep.api.order.LedgerRoutes.SettlementRequest.class,
              dev.lockstep.api.order.LedgerRoutes.SettlementResource.class,
              false,
              200,
              Map.of(),
              List.of()),
          op(
              "GET /v1/redeems",
              "List the tenant's redeems (or one wallet's), newest first",
              null,
              RedeemResource.class,
              true,
              200,
              with(
                  PAGE,
                  "wallet",
                  "Customer wallet (0x address); without it, every customer's redeems."),
              List.of()),
          op(
              "GET /v1/redeems/{id}",
              "Retrieve a redeem",
              null,
              RedeemResource.class,
              false,
              200,
              Map.of(),
              List.of("redeem_not_found")),
          op(
              "POST /v1/redeems/{id}/cancel",
              "Cancel a redeem before the broker fills it (202 while under way)",
              null,
              RedeemResource.class,
              false,
              202,
              Map.of(),
              List.of("redeem_not_found", "redeem_not_cancellable")),
          op(
              "POST /v1/orders/{id}/cancel",
              "Cancel any open order, a mint (mnt_) or a redeem (rdm_), market or limit, before the"
                  + " broker fills it; no fee, everything locked goes back (202 while under way,"
                  + " 200 once cancelled; answers the order's mint or redeem resource)",
              null,
              RedeemResource.class,
              false,
              202,
              Map.of(),
              List.of(
                  "order_not_found",
                  "mint_not_found",
                  "redeem_not_found",
                  "order_not_cancellable")),
          op(
              "GET /v1/customers",
              "Query customers by their current attestation",
              null,
              Customer.class,
              true,
              200,
              with(
                  with(
                      with(
                          with(
                              with(
                                  with(
                                      with(
                                          PAGE,
                                          "signal",
                                          "Attestation carries this signal and has not expired."),
                                      "provider",
                                      "Attestation vendor."),
                                  "attested_after",
                                  "Attested after this ISO-8601 time."),
                              "attestation.expires_before",
                              "Attestation expires before this ISO-8601 time."),
                          "min_notional",
                          "Settled redeem notional of the wallet, USDC, at least this decimal."),
                      "wallet",
                      "Customer wallet."),
                  "external_id",
                  "The tenant's id for the customer."),
              List.of()),
          op(
              "POST /v1/customers",
              "Create or update a customer by external_id, appending an attestation (201 created, "
                  + "200 updated)",
              CustomerRequest.class,
              Customer.class,
              false,
              201,
              Map.of(),
              List.of()),
          op(
              "GET /v1/customers/{id}",
              "Retrieve a customer",
              null,
              Customer.class,
              false,
              200,
              Map.of(),
              List.of("customer_not_found")),
          op(
              "GET /v1/settlement_wallets",
              "The tenant's custodial settlement wallet in this environment, with its stablecoin"
                  + " balances per chain (in the sandbox it is granted 1,000,000 USDC and USDT on"
                  + " every chain: the sandbox's own tenant at start, another at its first faucet"
                  + " call or order); empty when the daemon holds no settlement wallets",
              null,
              SettlementWalletRoutes.Wallet.class,
              true,
              200,
              PAGE,
              List.of()),
          op(
              "POST /v1/wallet_challenges",
              "Issue an EIP-712 challenge (single-use nonce, 10 minutes) for a wallet to sign, the"
                  + " proof that the tenant serves it; chain (default the first) names the EIP-712"
                  + " domain and where an ERC-1271 contract wallet is asked",
              WalletLinkRoutes.ChallengeRequest.class,
              WalletLinkRoutes.ChallengeResource.class,
              false,
              201,
              Map.of(),
              List.of()),
          op(
              "POST /v1/wallet_links",
              "Link a wallet with its signature over a challenge (ecrecover for an EOA, ERC-1271"
                  + " isValidSignature for a contract wallet): 201 linked, 200 proven again. Until"
                  + " then the tenant sees and touches nothing of the wallet",
              WalletLinkRoutes.ProofRequest.class,
              WalletLinkRoutes.LinkResource.class,
              false,
              201,
              Map.of(),
              List.of(
                  "wallet_challenge_not_found",
                  "wallet_challenge_expired",
                  "wallet_challenge_used",
                  "wallet_signature_invalid")),
          op(
              "GET /v1/wallet_links",
              "The wallets the tenant has proven, in address order",
              null,
              WalletLinkRoutes.LinkResource.class,
              true,
              200,
              Map.of(),
              List.of()),
          op(
              "GET /v1/wallet_links/{wallet}",
              "One proven wallet link",
              null,
              WalletLinkRoutes.LinkResource.class,
              false,
              200,
              Map.of(),
              List.of("wallet_link_not_found")),
          op(
              "POST /v1/sandbox/faucet",
              "Sandbox keys only: mint test USDC or USDT (amount in whole units, at most"
                  + " 10,000,000, up to 6 decimals) to the tenant's settlement wallet on one chain"
                  + " or, without chain, on every chain that carries the currency",
              SettlementWalletRoutes.FaucetRequest.class,
              SettlementWalletRoutes.FaucetAnswer.class,
              false,
              201,
              Map.of(),
              List.of("sandbox_only", "settlement_wallets_not_configured")),
          op(
              "POST /v1/sandbox/reset",
              "Reset the caller's sandbox state to a clean slate: cancel its open orders, delete its"
                  + " customers, wallet links, webhooks, quotes and Idempotency-Keys, top its"
                  + " settlement wallet back up to the opening grant; answers what was cleared"
                  + " (sandbox keys only)",
              null,
              SandboxReset.Reset.class,
              false,
              200,
              Map.of(),
              List.of("sandbox_only")),
          op(
              "GET /v1/sandbox/clock",
              "The sandbox's time: the daemon's clock, how far it runs ahead of the real time, and"
                  + " each chain's latest block (sandbox keys only)",
              null,
              SandboxClockRoutes.Clock.class,
              false,
              200,
              Map.of(),
              List.of("sandbox_only")),
          op(
              "POST /v1/sandbox/clock",
              "Move the sandbox's clock forward (ISO-8601 duration, at most P30D): the daemon and"
                  + " every chain's block time together, so sessions open, legs clear and expiries"
                  + " pass (sandbox keys only)",
              SandboxClockRoutes.ClockRequest.class,
              SandboxClockRoutes.Clock.class,
              false,
              200,
              Map.of(),
              List.of("sandbox_only")),
          op(
              "POST /v1/sandbox/payout_pool",
              "Sandbox keys only: mint test USDC or USDT to the order book's payout pool on one"
                  + " chain; a redeem waiting in filled for liquidity then settles",
              SettlementWalletRoutes.FaucetRequest.class,
              SettlementWalletRoutes.Drip.class,
              false,
              201,
              Map.of(),
              List.of("sandbox_only", "settlement_wallets_not_configured")),
          op(
              "GET /v1/events",
              "The event stream of the tenant's wallets and the public catalog, newest first",
              null,
              JsonNode.class,
              true,
              200,
              with(PAGE, "type", "Event type or family (redeem.settled, redeem.*)."),
              List.of()),
          op(
              "GET /v1/events/{id}",
              "Retrieve an event (the exact webhook body)",
              null,
              JsonNode.class,
              false,
              200,
              Map.of(),
              List.of("event_not_found")),
          op(
              "GET /v1/webhooks",
              "List webhook subscriptions",
              null,
              Webhook.class,
              true,
              200,
              PAGE,
              List.of()),
          op(
              "POST /v1/webhooks",
              "Subscribe an endpoint to event patterns; the answer holds the signing secret",
              WebhookRequests.Create.class,
              Webhook.class,
              false,
              201,
              Map.of(),
              List.of()),
          op(
              "GET /v1/webhooks/{id}",
              "Retrieve a subscription",
              null,
              Webhook.class,
              false,
              200,
              Map.of(),
              List.of("webhook_not_found")),
          op(
              "POST /v1/webhooks/{id}",
              "Update a subscription (url, events, enabled, description)",
              WebhookRequests.Update.class,
              Webhook.class,
              false,
              200,
              Map.of(),
              List.of("webhook_not_found")),
          op(
              "GET /v1/webhooks/{id}/deliveries",
              "List a subscription's deliveries",
              null,
              Delivery.class,
              true,
              200,
              with(PAGE, "status", "pending, delivered or abandoned."),
              List.of("webhook_not_found")),
          op(
              "POST /v1/webhooks/{id}/replay",
              "Replay every abandoned delivery created in [from, to), optionally to "
                  + "another URL",
              WebhookRequests.ReplayAbandoned.class,
              JsonNode.class,
              false,
              201,
              Map.of(),
              List.of("webhook_not_found")),
          op(
              "GET /v1/webhook_deliveries/{id}",
              "Retrieve a delivery with every attempt",
              null,
              Delivery.class,
              false,
              200,
              Map.of(),
              List.of("delivery_not_found")),
          op(
              "POST /v1/webhook_deliveries/{id}/replay",
              "Replay one delivery, optionally to another URL",
              WebhookRequests.Replay.class,
              Delivery.class,
              false,
              201,
              Map.of(),
              List.of("delivery_not_found")),
          op(
              "GET /v1/api_keys",
              "List the tenant's API keys",
              null,
              ApiKeys.KeyInfo.class,
              true,
              200,
              PAGE,
              List.of()),
          op(
              "POST /v1/api_keys",
              "Create a key of the caller's environment; the answer holds the secret",
              KeyRoutes.CreateKey.class,
              ApiKeys.KeyInfo.class,
              false,
              201,
              Map.of(),
              List.of()),
          op(
              "POST /v1/api_keys/{id}/rotate",
              "Rotate a key: the successor works at once, the old key for five minutes",
              null,
              ApiKeys.KeyInfo.class,
              false,
              201,
              Map.of(),
              List.of("api_key_not_found", "api_key_not_rotatable")),
          op(
              "POST /v1/api_keys/{id}/revoke",
              "Revoke a key at once",
              null,
              ApiKeys.KeyInfo.class,
              false,
              200,
              Map.of(),
              List.of("api_key_not_found")));

  private static Map.Entry<String, Op> op(
      String route,
      String summary,
      Class<?> body,
      Class<?> response,
      boolean list,
      int status,
      Map<String, String> query,
      List<String> errors) {
    return Map.entry(
        route, new Op(summary, Optional.ofNullable(body), response, list, status, query, errors));
  }

  private static Map<String, String> with(Map<String, String> m, String name, String description) {
    Map<String, String> copy = new LinkedHashMap<>(m);
    copy.put(name, description);
    return copy;
  }

  /** The document as a JSON tree. */
  public static Map<String, Object> document() {
    Map<String, Object> schemas = new LinkedHashMap<>();
    Map<String, Object> paths = new LinkedHashMap<>();
    for (Route r : ApiServer.ROUTES) {
      Op op = OPS.get(r.toString());
      if (op == null) {
        throw new IllegalStateException("route " + r + " has no OpenAPI operation");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> item =
          (Map<String, Object>) paths.computeIfAbsent(r.path(), p -> new LinkedHashMap<>());
      item.put(r.method().name().toLowerCase(), operation(r, op, schemas));
    }
    schemas.put("Problem", problemSchema());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put(
        "info",
        Map.of(
            "title",
            "Lockstep API",
            "version",
            "v1",
            "description",
            "Indexed on-chain state of tokenized assets, customers and signed webhooks. Bearer keys sk_test_/sk_live_; "
                + "Idempotency-Key on every POST; cursor pagination; RFC 9457 problem+json errors."));
    doc.put("paths", paths);
    doc.put(
        "components",
        Map.of(
            "schemas",
            schemas,
            "securitySchemes",
            Map.of(
                "bearer",
                Map.of(
                    "type",
                    "http",
                    "scheme",
                    "bearer",
                    "description",
                    "sk_test_... or sk_live_..."))));
    doc.put("security", List.of(Map.of("bearer", List.of())));
    return doc;
  }

  /** The document as JSON text. */
  public static String render(JsonMapper json) {
    return json.writerWithDefaultPrettyPrinter().writeValueAsString(document());
  }

  private static Map<String, Object> operation(Route r, Op op, Map<String, Object> schemas) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put(
        "operationId",
        (r.method().name().toLowerCase() + r.path()).replaceAll("[^A-Za-z0-9]+", "_"));
    o.put("summary", op.summary());
    List<Object> params = new ArrayList<>();
    java.util.regex.Matcher path =
        java.util.regex.Pattern.compile("\\{([a-z_]+)}").matcher(r.path());
    while (path.find()) {
      params.add(
          Map.of(
              "name",
              path.group(1),
              "in",
              "path",
              "required",
              true,
              "schema",
              Map.of("type", "string")));
    }
    op.query()
        .forEach(
            (name, description) ->
                params.add(
                    Map.of(
                        "name",
                        name,
                        "in",
                        "query",
                        "required",
                        false,
                        "description",
                        description,
                        "schema",
                        name.equals("limit")
                            ? Map.of("type", "integer", "minimum", 1, "maximum", 100)
                            : Map.of("type", "string"))));
    if (r.method().name().equals("POST")) {
      params.add(
          Map.of(
              "name",
              "Idempotency-Key",
              "in",
              "header",
              "required",
              false,
              "description",
              "First response replayed verbatim for 24 h; same key with another body is idempotency_mismatch.",
              "schema",
              Map.of("type", "string", "maxLength", 128)));
    }
    o.put("parameters", params);
    op.body()
        .ifPresent(
            b ->
                o.put(
                    "requestBody",
                    Map.of(
                        "required",
                        true,
                        "content",
                        Map.of("application/json", Map.of("schema", schema(b, schemas, true))))));
    Map<String, Object> one = schema(op.response(), schemas, false);
    Map<String, Object> ok = op.list() ? listSchema(one) : one;
    Map<String, Object> responses = new LinkedHashMap<>();
    responses.put(
        Integer.toString(op.status()),
        Map.of(
            "description", "Success", "content", Map.of("application/json", Map.of("schema", ok))));
    Map<String, Object> problem =
        Map.of(
            "application/problem+json",
            Map.of("schema", Map.of("$ref", "#/components/schemas/Problem")));
    List<String> codes =
        new ArrayList<>(
            List.of(
                "unauthorized",
                "forbidden",
                "key_lacks_live_scope",
                "invalid_request",
                "rate_limited"));
    if (r.method().name().equals("POST")) {
      codes.addAll(List.of("idempotency_mismatch", "idempotency_in_progress"));
    }
    codes.addAll(op.errors());
    responses.put(
        "default",
        Map.of(
            "description",
            "Error (problem+json); codes: " + String.join(", ", codes),
            "content",
            problem));
    o.put("responses", responses);
    return o;
  }

  private static Map<String, Object> listSchema(Map<String, Object> item) {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("object", Map.of("const", "list"));
    props.put("data", Map.of("type", "array", "items", item));
    props.put("has_more", Map.of("type", "boolean"));
    props.put("next_cursor", Map.of("type", List.of("string", "null")));
    return Map.of(
        "type",
        "object",
        "required",
        List.of("object", "data", "has_more", "next_cursor"),
        "properties",
        props);
  }

  private static Map<String, Object> problemSchema() {
    Map<String, Object> props = new LinkedHashMap<>();
    for (String s : List.of("type", "title", "detail", "instance", "request_id", "code")) {
      props.put(s, Map.of("type", "string"));
    }
    props.put("status", Map.of("type", "integer"));
    props.put("retryable", Map.of("type", "boolean"));
    return Map.of(
        "type",
        "object",
        "required",
        List.copyOf(props.keySet()),
        "properties",
        props,
        "additionalProperties",
        true);
  }

  /**
   * The schema of {@code type}: records become named components. In a {@code request} body every
   * non-primitive field may be absent (it arrives as null; the record's constructor says which it
   * requires); in an answer only {@code Optional} fields are.
   */
  static Map<String, Object> schema(Type type, Map<String, Object> schemas, boolean request) {
    if (type instanceof ParameterizedType p) {
      Type raw = p.getRawType();
      Type arg = p.getActualTypeArguments()[0];
      if (raw == Optional.class) {
        return schema(arg, schemas, request);
      }
      if (raw == List.class) {
        return Map.of("type", "array", "items", schema(arg, schemas, request));
      }
      if (raw == Map.class) {
        return Map.of("type", "object");
      }
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      return Map.of("type", "string");
    }
    if (c == long.class || c == int.class || c == Long.class || c == Integer.class) {
      return Map.of("type", "integer");
    }
    if (c == boolean.class || c == Boolean.class) {
      return Map.of("type", "boolean");
    }
    if (c == Instant.class) {
      return Map.of("type", "string", "format", "date-time");
    }
    if (c.isEnum()) {
      // Shown lowercase, as the API's mapper writes enums (WRITE_ENUMS_TO_LOWERCASE).
      return Map.of(
          "type",
          "string",
          "enum",
          java.util.Arrays.stream(c.getEnumConstants())
              .map(e -> ((Enum<?>) e).name().toLowerCase(java.util.Locale.ROOT))
              .toList());
    }
    if (!c.isRecord()) {
      return Map.of("type", "object");
    }
    String name = c.getName().substring(c.getName().lastIndexOf('.') + 1).replace('$', '_');
    if (!schemas.containsKey(name)) {
      schemas.put(name, Map.of());
      Map<String, Object> props = new LinkedHashMap<>();
      List<String> required = new ArrayList<>();
      for (RecordComponent rc : c.getRecordComponents()) {
        JsonProperty renamed = rc.getAccessor().getAnnotation(JsonProperty.class);
        if (renamed == null) {
          renamed = rc.getAnnotation(JsonProperty.class);
        }
        String prop = renamed != null ? renamed.value() : snake(rc.getName());
        props.put(prop, schema(rc.getGenericType(), schemas, request));
        boolean optional = rc.getType() == Optional.class || !rc.getType().isPrimitive() && request;
        if (!optional) {
          required.add(prop);
        }
      }
      schemas.put(name, Map.of("type", "object", "properties", props, "required", required));
    }
    return Map.of("$ref", "#/components/schemas/" + name);
  }

  /** {@code createdAt} -> {@code created_at}, as the API's snake_case naming strategy writes it. */
  private static String snake(String camel) {
    StringBuilder b = new StringBuilder();
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        b.append('_').append(Character.toLowerCase(ch));
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }

  /** The rendered documentation: every operation with its parameters, body, answer and errors. */
  public static String html() {
    StringBuilder b =
        new StringBuilder(
            """
        <!doctype html><html><head><meta charset="utf-8"><title>Lockstep API v1</title>
        <style>body{font-family:sans-serif;max-width:60em;margin:2em auto}code{background:#eee;padding:0 .2em}
        h2{border-top:1px solid #ccc;padding-top:.5em}</style></head><body><h1>Lockstep API v1</h1>
        <p>Machine-readable: <a href="/v1/openapi.json">/v1/openapi.json</a> (OpenAPI 3.1). Authenticate with
        <code>Authorization: Bearer sk_test_...</code>; send <code>Idempotency-Key</code> on POSTs; lists are
        cursor-paginated (<code>limit</code>, <code>starting_after</code>, <code>ending_before</code>); errors are
        RFC 9457 <code>application/problem+json</code> with a stable <code>code</code>.</p>
        """);
    Map<String, Object> schemas = new LinkedHashMap<>();
    for (Route r : ApiServer.ROUTES) {
      Op op = OPS.get(r.toString());
      b.append("<h2><code>")
          .append(r.method().name())
          .append(' ')
          .append(escape(r.path()))
          .append("</code></h2><p>")
          .append(escape(op.summary()))
          .append("</p>");
      if (!op.query().isEmpty()) {
        b.append("<p>Query: ");
        op.query()
            .forEach(
                (k, v) ->
                    b.append("<code>")
                        .append(escape(k))
                        .append("</code> ")
                        .append(escape(v))
                        .append(' '));
        b.append("</p>");
      }
      op.body()
          .ifPresent(
              c ->
                  b.append("<p>Body: <code>")
                      .append(escape(schema(c, schemas, true).toString()))
                      .append("</code></p>"));
      b.append("<p>Answer ")
          .append(op.status())
          .append(": ")
          .append(op.list() ? "list of " : "")
          .append("<code>")
          .append(escape(schema(op.response(), schemas, false).toString()))
          .append("</code>");
      if (!op.errors().isEmpty()) {
        b.append("; errors: <code>")
            .append(escape(String.join(", ", op.errors())))
            .append("</code>");
      }
      b.append("</p>");
    }
    b.append("<h2>Schemas</h2>");
    schemas.forEach(
        (k, v) ->
            b.append("<h3>")
                .append(escape(k))
                .append("</h3><pre>")
                .append(escape(v.toString()))
                .append("</pre>"));
    return b.append("</body></html>").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
