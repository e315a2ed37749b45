package dev.lockstep.api.error;

/**
 * Every error the API returns: stable machine code, HTTP status, title and whether the same request
 * may succeed on retry. Codes follow the catalog of reference/platform-docs.txt ("Full error
 * catalog"); {@code invalid_request}, {@code not_found}, {@code method_not_allowed}, {@code
 * idempotency_in_progress}, {@code payload_too_large}, {@code uri_too_long}, {@code
 * request_headers_too_large}, {@code unsupported_media_type} and the {@code *_not_found} / {@code
 * *_not_cancellable} / {@code *_not_replayable} codes of Lockstep's resources are Lockstep's own,
 * for cases the catalog does not name.
 */
public enum ErrorCode {
  UNAUTHORIZED(401, "unauthorized", "Missing or malformed Bearer token", false),
  FORBIDDEN(403, "forbidden", "Key is valid but lacks scope for this resource", false),
  KEY_LACKS_LIVE_SCOPE(
      403, "key_lacks_live_scope", "Key environment does not match this server", false),
  INVALID_REQUEST(400, "invalid_request", "Invalid request parameter", false),
  NOT_FOUND(404, "not_found", "No such route", false),
  METHOD_NOT_ALLOWED(405, "method_not_allowed", "Method not allowed on this route", false),
  PAYLOAD_TOO_LARGE(413, "payload_too_large", "Request body too large", false),
  URI_TOO_LONG(414, "uri_too_long", "Request line too long", false),
  HEADERS_TOO_LARGE(431, "request_headers_too_large", "Request headers too large", false),
  UNSUPPORTED_MEDIA_TYPE(
      415, "unsupported_media_type", "Request body must be application/json", false),
  REDEEM_NOT_FOUND(404, "redeem_not_found", "No such redeem", false),
  REDEEM_NOT_CANCELLABLE(409, "redeem_not_cancellable", "Redeem can no longer be cancelled", false),
  MINT_NOT_FOUND(404, "mint_not_found", "No such mint", false),
  GUARDRAIL_TRIGGERED(
      422, "guardrail_triggered", "Rejected by a per-block guardrail; nothing was sent", true),
  ORDER_NOT_FOUND(404, "order_not_found", "No such order (a mnt_ or rdm_ id)", false),
  ORDER_NOT_CANCELLABLE(409, "order_not_cancellable", "Order can no longer be cancelled", false),
  QUOTE_NOT_FOUND(404, "quote_not_found", "No such quote", false),
  QUOTE_EXPIRED(
      422, "quote_expired", "The quote expired (30 s after it was made); ask for a new one", false),
  QUOTE_MISMATCH(422, "quote_mismatch", "The order does not match the quote it references", false),
  INSUFFICIENT_FUNDS(422, "insufficient_funds", "Source wallet balance below required", false),
  INSUFFICIENT_POSITION(
      422, "insufficient_position", "Source wallet holds fewer tokens than the redeem", false),
  PRICE_UNAVAILABLE(
      503, "price_unavailable", "The asset has no fresh mark to price the order at", true),
  ORDER_REFUSED(422, "order_refused", "The order book refused the order; nothing was taken", false),
  ORDER_PENDING(
      503,
      "order_pending",
      "The order's transaction is not mined yet; retry with the same Idempotency-Key",
      true),
  API_KEY_NOT_FOUND(404, "api_key_not_found", "No such API key", false),
  API_KEY_NOT_ROTATABLE(
      409, "api_key_not_rotatable", "API key is revoked, expiring or already rotated", false),
  CUSTOMER_NOT_FOUND(404, "customer_not_found", "No such customer", false),
  POSITION_NOT_FOUND(
      404, "position_not_found", "position_id doesn't resolve on this account", false),
  ASSET_NOT_FOUND(404, "asset_not_found", "Ticker not in the universe", false),
  VENUE_NOT_FOUND(404, "venue_not_found", "No such venue", false),
  MARKET_CLOSED_NON_FRACTIONAL(
      409,
      "market_closed_non_fractional",
      "Underlying venue is closed and this asset requires live fills",
      true),
  MINT_PAUSED_RECONCILIATION(
      409,
      "mint_paused_reconciliation",
      "Reconciliation break; retry after the break is resolved",
      true),
  WEBHOOK_NOT_FOUND(404, "webhook_not_found", "No such webhook subscription", false),
  DELIVERY_NOT_FOUND(404, "delivery_not_found", "No such webhook delivery", false),
  EVENT_NOT_FOUND(404, "event_not_found", "No such event", false),
  WALLET_CHALLENGE_NOT_FOUND(404, "wallet_challenge_not_found", "No such wallet challenge", false),
  WALLET_CHALLENGE_EXPIRED(
      422, "wallet_challenge_expired", "The wallet challenge expired; ask for a new one", false),
  WALLET_CHALLENGE_USED(
      409, "wallet_challenge_used", "The wallet challenge was already answered", false),
  WALLET_SIGNATURE_INVALID(
      422,
      "wallet_signature_invalid",
      "The signature is not the wallet's over the challenge",
      false),
  WALLET_LINK_NOT_FOUND(404, "wallet_link_not_found", "No proven link to this wallet", false),
  WALLET_NOT_LINKED(
      422,
      "wallet_not_linked",
      "The wallet is not proven to be the tenant's; link it first (POST /v1/wallet_links)",
      false),
  INTENT_SIGNATURE_INVALID(
      422,
      "intent_signature_invalid",
      "The signature is not the wallet's over the quote's order intent",
      false),
  PERMIT_SIGNATURE_INVALID(
      422, "permit_signature_invalid", "The permit signature is not the wallet's", false),
  INTENT_EXPIRED(
      422, "intent_expired", "The quote's intent deadline has passed; ask for a new quote", false),
  SANDBOX_ONLY(403, "sandbox_only", "This operation exists in the sandbox only", false),
  SETTLEMENT_WALLETS_NOT_CONFIGURED(
      503,
      "settlement_wallets_not_configured",
      "This daemon holds no settlement wallets (no settlement_wallets seed configured)",
      false),
  IDEMPOTENCY_MISMATCH(
      409,
      "idempotency_mismatch",
      "Idempotency-Key already used with a different request body",
      false),
  IDEMPOTENCY_IN_PROGRESS(
      409,
      "idempotency_in_progress",
      "A request with this Idempotency-Key is still being processed",
      true),
  RATE_LIMITED(429, "rate_limited", "Too many requests", true),
  INTERNAL_ERROR(500, "internal_error", "Internal error", true),
  SERVICE_UNAVAILABLE(503, "service_unavailable", "Service unavailable", true);

  private final int status;
  private final String code;
  private final String title;
  private final boolean retryable;

  ErrorCode(int status, String code, String title, boolean retryable) {
    this.status = status;
    this.code = code;
    this.title = title;
    this.retryable = retryable;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }

  public boolean retryable() {
    return retryable;
  }
}
