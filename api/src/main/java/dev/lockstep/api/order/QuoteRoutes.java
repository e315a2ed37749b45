package dev.lockstep.api.order;

import dev.lockstep.api.RequestBodies;
import dev.lockstep.api.auth.ApiKey;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.indexer.model.OrderSide;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/quotes}: prices a mint or a redeem ({@link Pricing}) and keeps the quote 30 s for
 * an order to reference ({@code quote_id}); and the quote an order is held to, for the mint and
 * redeem routes.
 */
public final class QuoteRoutes {
  private final Pricing pricing;
  private final QuoteStore quotes;

  private final SignedOrders signed;
  private final dev.lockstep.indexer.store.IndexReader index;

  QuoteRoutes(
      Pricing pricing,
      QuoteStore quotes,
      SignedOrders signed,
      dev.lockstep.indexer.store.IndexReader index) {
    this.signed = signed;
    this.index = index;
    this.pricing = pricing;
    this.quotes = quotes;
  }

  /** {@code POST /v1/quotes}: 201 with the quote. */
  public void create(Context ctx) {
    ApiKey key = Authenticator.keyOf(ctx);
    OrderRequests.QuoteRequest r = RequestBodies.read(ctx, OrderRequests.QuoteRequest.class);
    OrderSide side =
        "mint".equals(r.side())
            ? OrderSide.MINT
            : "redeem".equals(r.side()) ? OrderSide.REDEEM : null;
    if (side == null) {
      throw ApiException.invalidParam("side", "'side' must be mint or redeem");
    }
    Quote q =
        pricing.price(
            new Pricing.Ask(
                side,
                r.asset(),
                r.quantity(),
                r.currency(),
                r.chain(),
                "currency",
                "chain",
                r.slippageBps(),
                r.gas(),
                r.developerFee(),
                null),
            key.tier().platformFeeBps(),
            r.wallet() != null);
    if (r.wallet() != null) {
      String wallet = dev.lockstep.api.Params.address("wallet", r.wallet());
      Optional<String> token =
          side == OrderSide.REDEEM
              ? Optional.of(OrderReads.assetToken(index, q).address())
              : Optional.empty();
      q = signed.attach(key, q, wallet, token);
    }
    quotes.save(key.tenantId(), key.mode(), q);
    ctx.status(201).json(q);
  }

  /**
   * The quote an order is priced at: the referenced one (unexpired, the tenant's, same side, and
   * matching every order field the request also gives), or a fresh one.
   *
   * @throws ApiException {@code quote_not_found}, {@code quote_expired}, {@code quote_mismatch}
   */
  Quote quoteFor(ApiKey key, Pricing.Ask ask, @Nullable String quoteId) {
    if (quoteId == null) {
      return pricing.price(ask, key.tier().platformFeeBps());
    }
    Quote q = quotes.live(key.tenantId(), key.mode(), quoteId);
    mismatch(q, "side", q.side().dbValue(), ask.side().dbValue());
    mismatch(q, "asset", q.asset(), ask.asset());
    mismatch(q, ask.chainParam(), q.chain(), ask.chain());
    mismatch(q, ask.currencyParam(), q.currency(), ask.currency());
    if (ask.quantity() != null && ask.quantity().compareTo(new BigDecimal(q.quantity())) != 0) {
      throw mismatched(q, "quantity");
    }
    if (ask.slippageBps() != null && ask.slippageBps() != q.slippageBps()) {
      throw mismatched(q, "slippage_bps");
    }
    return q;
  }

  private static void mismatch(Quote q, String param, String quoted, @Nullable String asked) {
    if (asked != null && !Objects.equals(quoted, asked)) {
      throw mismatched(q, param);
    }
  }

  private static ApiException mismatched(Quote q, String param) {
    return new ApiException(
        ErrorCode.QUOTE_MISMATCH,
        "'" + param + "' differs from quote " + q.id() + "; omit it or ask for a new quote",
        Map.of("quote_id", q.id(), "param", param));
  }
}
