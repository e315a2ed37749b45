package dev.lockstep.api.order;

import dev.lockstep.api.Params;
import dev.lockstep.api.auth.ApiKey;
import dev.lockstep.api.customer.CustomerStore;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.api.wallet.SignatureCheck;
import dev.lockstep.api.wallet.TypedData;
import dev.lockstep.indexer.model.GasSponsor;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.ports.OrderDesk;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.web3j.utils.Numeric;

/**
 * Orders a holder signs with its own key and the tenant's settlement wallet relays (gasless for the
 * holder): {@link #attach} makes a quote signable, with the EIP-712 {@code OrderIntent} of {@code
 * OrderBook.createWithIntent} (domain {@code "Lockstep OrderBook"}, version 1, the chain, the order
 * book) and the EIP-2612 {@code Permit} of the locked token (domain: the token's name, version 1,
 * the chain, the token); {@link #intent} checks the holder's signatures over exactly those and
 * returns what the relay sends. The holder must be a wallet the tenant has proven. Typed data
 * hashed by web3j's StructuredDataEncoder ({@link TypedData}); signatures checked like
 * OpenZeppelin's SignatureChecker ({@link SignatureCheck}). Thread-safe.
 */
final class SignedOrders {
  /** How long a holder has to sign and submit: the intent's and the permit's deadline. */
  static final Duration SIGNING_WINDOW = Duration.ofMinutes(5);

  private static final String ZERO = "0x" + "0".repeat(40);

  private final OrderDesk desk;
  private final CustomerStore customers;
  private final SignatureCheck signatures;
  private final Clock clock;

  SignedOrders(OrderDesk desk, CustomerStore customers, SignatureCheck signatures, Clock clock) {
    this.desk = desk;
    this.customers = customers;
    this.signatures = signatures;
    this.clock = clock;
  }

  /**
   * {@code q} with what {@code wallet} signs to place its order itself.
   *
   * @param assetToken a redeem's asset token on the quote's chain (empty for a mint)
   * @throws ApiException {@code wallet_not_linked} if the tenant has not proven {@code wallet}
   */
  Quote attach(ApiKey key, Quote q, String wallet, Optional<String> assetToken) {
    if (!customers.ownsWallet(key.tenantId(), wallet)) {
      throw new ApiException(
          ErrorCode.WALLET_NOT_LINKED,
          "The tenant has not proven " + wallet + "; link it with POST /v1/wallet_links first",
          Map.of("wallet", wallet));
    }
    boolean mint = q.side() == OrderSide.MINT;
    String locked = mint ? q.currencyAddress() : assetToken.orElseThrow();
    BigInteger amount = mint ? q.terms().mintLock(q.boundUnits()) : q.quantityUnits();
    OrderDesk.SigningState state = desk.signingState(q.chainId(), wallet, locked);
    long deadline = clock.instant().plus(SIGNING_WINDOW).getEpochSecond();
    Map<String, Object> intent =
        intentTypedData(q, state.orderBook(), wallet, assetToken, state.intentNonce(), deadline);
    Map<String, Object> permit =
        permitTypedData(
            q.chainId(),
            locked,
            state.tokenName(),
            wallet,
            state.orderBook(),
            amount,
            state.permitNonce(),
            deadline);
    return q.withSigning(
        new Quote.Signing(
            wallet,
            state.orderBook().toLowerCase(Locale.ROOT),
            state.intentNonce().toString(),
            deadline,
            locked.toLowerCase(Locale.ROOT),
            amount.toString(),
            intent,
            Numeric.toHexString(digest(intent)),
            permit,
            Numeric.toHexString(digest(permit))));
  }

  /**
   * The signed intent of quote {@code q}, checked: the signature is the holder's over the quote's
   * intent (EOA or ERC-1271), the permit signature (if any) the holder's over the quote's permit,
   * and the deadline has not passed.
   *
   * @throws ApiException {@code invalid_request} (the quote names no wallet; a malformed
   *     signature), {@code intent_expired}, {@code intent_signature_invalid}, {@code
   *     permit_signature_invalid}, {@code wallet_not_linked} (the link was dropped since the quote)
   */
  OrderDesk.SignedIntent intent(
      ApiKey key, Quote q, String signature, @Nullable String permitSignature) {
    Quote.Signing s =
        q.signing()
            .orElseThrow(
                () ->
                    ApiException.invalidParam(
                        "quote_id",
                        "Quote "
                            + q.id()
                            + " names no wallet: ask for one with 'wallet' to sign an order"));
    byte[] sig = Params.signature("signature", signature);
    if (clock.instant().getEpochSecond() > s.deadline()) {
      throw new ApiException(
          ErrorCode.INTENT_EXPIRED,
          "The intent's deadline " + s.deadline() + " has passed; ask for a new quote",
          Map.of("quote_id", q.id(), "deadline", s.deadline()));
    }
    if (!customers.ownsWallet(key.tenantId(), s.wallet())) {
      throw new ApiException(
          ErrorCode.WALLET_NOT_LINKED,
          "The tenant no longer holds a proven link to " + s.wallet(),
          Map.of("wallet", s.wallet()));
    }
    try {
      if (signatures
          .check(q.chainId(), s.wallet(), Numeric.hexStringToByteArray(s.intentDigest()), sig)
          .isEmpty()) {
        throw new ApiException(
            ErrorCode.INTENT_SIGNATURE_INVALID,
            "The signature is not " + s.wallet() + "'s over quote " + q.id() + "'s intent",
            Map.of("quote_id", q.id(), "wallet", s.wallet()));
      }
    } catch (SignatureCheck.ChainUnavailable e) {
      throw new ApiException(
          ErrorCode.SERVICE_UNAVAILABLE, "Could not ask the wallet's contract; retry");
    }
    Optional<OrderDesk.Permit> permit = Optional.empty();
    if (permitSignature != null) {
      byte[] p = Params.signature("permit_signature", permitSignature);
      boolean holders =
          SignatureCheck.recover(Numeric.hexStringToByteArray(s.permitDigest()), p)
              .filter(s.wallet()::equalsIgnoreCase)
              .isPresent();
      if (!holders) {
        throw new ApiException(
            ErrorCode.PERMIT_SIGNATURE_INVALID,
            "The permit signature is not " + s.wallet() + "'s over quote " + q.id() + "'s permit",
            Map.of("quote_id", q.id(), "wallet", s.wallet()));
      }
      int v = p[64] < 27 ? p[64] + 27 : p[64];
      permit =
          Optional.of(
              new OrderDesk.Permit(
                  new BigInteger(s.lockedAmount()),
                  s.deadline(),
                  v,
                  Numeric.toHexString(Arrays.copyOfRange(p, 0, 32)),
                  Numeric.toHexString(Arrays.copyOfRange(p, 32, 64))));
    }
    return new OrderDesk.SignedIntent(
        s.wallet(),
        new BigInteger(s.intentNonce()),
        s.deadline(),
        Numeric.toHexString(sig),
        permit);
  }

  /**
   * The signed intent a mint or redeem request carries ({@code signature}, with {@code quote_id}),
   * or empty for an order of the settlement wallet's own.
   *
   * @param destination the request's destination, which must be the holder's if named
   */
  Optional<OrderDesk.SignedIntent> fromRequest(
      ApiKey key,
      Quote q,
      @Nullable String quoteId,
      @Nullable String signature,
      @Nullable String permitSignature,
      Optional<String> destination,
      String destinationParam) {
    if (signature == null) {
      if (permitSignature != null) {
        throw ApiException.invalidParam(
            "permit_signature", "'permit_signature' goes with the intent's 'signature'");
      }
      return Optional.empty();
    }
    if (quoteId == null) {
      throw ApiException.invalidParam(
          "quote_id", "A signed order names the quote whose intent was signed ('quote_id')");
    }
    OrderDesk.SignedIntent intent = intent(key, q, signature, permitSignature);
    if (destination.isPresent() && !destination.get().equalsIgnoreCase(intent.owner())) {
      throw ApiException.invalidParam(
          destinationParam, "A signed order pays the signing wallet " + intent.owner());
    }
    return Optional.of(intent);
  }

  private static Map<String, Object> domain(String name, long chainId, String verifyingContract) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", name);
    d.put("version", "1");
    d.put("chainId", chainId);
    d.put("verifyingContract", verifyingContract.toLowerCase(Locale.ROOT));
    return d;
  }

  private static final List<Map<String, String>> DOMAIN_TYPE =
      List.of(
          TypedData.field("name", "string"),
          TypedData.field("version", "string"),
          TypedData.field("chainId", "uint256"),
          TypedData.field("verifyingContract", "address"));

  /**
   * The EIP-712 {@code OrderIntent} of {@code q}'s order for {@code owner}, proceeds to the owner.
   */
  static Map<String, Object> intentTypedData(
      Quote q,
      String orderBook,
      String owner,
      Optional<String> assetToken,
      BigInteger nonce,
      long deadline) {
    boolean mint = q.side() == OrderSide.MINT;
    OrderDesk.OrderTerms t = q.terms();
    Map<String, Object> types = new LinkedHashMap<>();
    types.put("EIP712Domain", DOMAIN_TYPE);
    types.put(
        "OrderIntent",
        List.of(
            TypedData.field("owner", "address"),
            TypedData.field("side", "uint8"),
            TypedData.field("symbol", "string"),
            TypedData.field("token", "address"),
            TypedData.field("quantity", "uint256"),
            TypedData.field("currency", "address"),
            TypedData.field("notionalBound", "uint256"),
            TypedData.field("destination", "address"),
            TypedData.field("terms", "Terms"),
            TypedData.field("nonce", "uint256"),
            TypedData.field("deadline", "uint64")));
    types.put(
        "Terms",
        List.of(
            TypedData.field("platformFeeBps", "uint16"),
            TypedData.field("developerFeeBps", "uint16"),
            TypedData.field("developerFeeRecipient", "address"),
            TypedData.field("gasSponsor", "uint8"),
            TypedData.field("maxGas", "uint256")));
    Map<String, Object> terms = new LinkedHashMap<>();
    terms.put("platformFeeBps", t.platformFeeBps());
    terms.put("developerFeeBps", t.developerFeeBps());
    terms.put("developerFeeRecipient", t.developerFeeRecipient().orElse(ZERO));
    terms.put("gasSponsor", t.gasSponsor() == GasSponsor.DEVELOPER ? 1 : 0);
    terms.put("maxGas", t.maxGas().toString());
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("owner", owner);
    message.put("side", mint ? 1 : 0);
    message.put("symbol", mint ? q.asset() : "");
    message.put("token", mint ? ZERO : assetToken.orElseThrow().toLowerCase(Locale.ROOT));
    message.put("quantity", q.quantityUnits().toString());
    message.put("currency", q.currencyAddress().toLowerCase(Locale.ROOT));
    message.put("notionalBound", q.boundUnits().toString());
    message.put("destination", owner);
    message.put("terms", terms);
    message.put("nonce", nonce.toString());
    message.put("deadline", deadline);
    return TypedData.of(
        types, "OrderIntent", domain("Lockstep OrderBook", q.chainId(), orderBook), message);
  }

  /** The EIP-2612 {@code Permit} letting the order book pull {@code value} of {@code token}. */
  static Map<String, Object> permitTypedData(
      long chainId,
      String token,
      String tokenName,
      String owner,
      String spender,
      BigInteger value,
      BigInteger nonce,
      long deadline) {
    Map<String, Object> types = new LinkedHashMap<>();
    types.put("EIP712Domain", DOMAIN_TYPE);
    types.put(
        "Permit",
        List.of(
            TypedData.field("owner", "address"),
            TypedData.field("spender", "address"),
            TypedData.field("value", "uint256"),
            TypedData.field("nonce", "uint256"),
            TypedData.field("deadline", "uint256")));
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("owner", owner);
    message.put("spender", spender.toLowerCase(Locale.ROOT));
    message.put("value", value.toString());
    message.put("nonce", nonce.toString());
    message.put("deadline", deadline);
    return TypedData.of(types, "Permit", domain(tokenName, chainId, token), message);
  }

  static byte[] digest(Map<String, Object> typedData) {
    return TypedData.digest(typedData);
  }
}
