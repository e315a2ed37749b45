package dev.lockstep.api.order;

import dev.lockstep.api.ChainNames;
import dev.lockstep.api.Params;
import dev.lockstep.api.RequestBodies;
import dev.lockstep.api.auth.ApiKey;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.OrderStatus;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.indexer.store.TokenRow;
import dev.lockstep.ports.OrderDesk;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/redeems} (reference platform-docs "Redeem": the tenant's settlement wallet sells
 * {@code quantity} of {@code asset}, or of the asset of the mint {@code position_id}, for {@code
 * payout.currency} paid to {@code payout.wallet}, by default the settlement wallet), {@code GET
 * /v1/redeems/{id}}, {@code GET /v1/redeems[?wallet=]} and {@code POST /v1/redeems/{id}/cancel}.
 * Redeems a wallet creates on chain appear in the same resources. The payout is on the token's
 * chain: {@code payout.chain}, when given, must be it.
 */
public final class RedeemRoutes {
  private final OrderReads reads;
  private final OrderDesk orders;
  private final ChainNames chains;
  private final QuoteRoutes quotes;
  private final OrderPlacer placer;
  private final IndexReader index;

  private final SignedOrders signed;

  RedeemRoutes(
      OrderReads reads,
      OrderDesk orders,
      ChainNames chains,
      QuoteRoutes quotes,
      OrderPlacer placer,
      SignedOrders signed,
      IndexReader index) {
    this.signed = signed;
    this.reads = reads;
    this.orders = orders;
    this.chains = chains;
    this.quotes = quotes;
    this.placer = placer;
    this.index = index;
  }

  /** {@code POST /v1/redeems}: 201 with the redeem, its tokens locked on chain. */
  public void create(Context ctx) {
    ApiKey key = Authenticator.keyOf(ctx);
    OrderRequests.RedeemRequest r = RequestBodies.read(ctx, OrderRequests.RedeemRequest.class);
    OrderRequests.Payout p =
        Optional.ofNullable(r.payout()).orElse(new OrderRequests.Payout(null, null, null));
    String asset = r.asset();
    String chain = p.chain();
    if (r.positionId() != null) {
      OrderRow mint =
          OrderId.parse(OrderSide.MINT, r.positionId())
              .flatMap(id -> index.order(id.chainId(), id.orderId()))
              .filter(o -> o.side() == OrderSide.MINT)
              .filter(o -> reads.owns(ctx, o))
              .orElseThrow(
                  () ->
                      new ApiException(
                          ErrorCode.POSITION_NOT_FOUND,
                          "No position '" + r.positionId() + "' on this account",
                          Map.of("position_id", r.positionId())));
      if (asset != null && !asset.equals(mint.symbol())) {
        throw ApiException.invalidParam(
            "asset", "'asset' differs from the asset of position " + r.positionId());
      }
      asset = mint.symbol();
      if (chain == null) {
        chain = chains.name(mint.chainId());
      }
    }
    // A trigger sell is priced where it will sell: its slippage bound is set at its trigger price
    // (an OCO pair's, shared by both legs, at its stop), not at today's mark.
    Optional<OrderDesk.OrderCondition> condition =
        placer.condition(
            OrderSide.REDEEM,
            r.orderType(),
            r.limitPrice(),
            r.stopPrice(),
            r.takeProfitPrice(),
            r.goodTill(),
            r.signature() != null);
    java.math.BigDecimal triggerPrice =
        condition
            .map(
                c ->
                    switch (c) {
                      case OrderDesk.OrderTrigger t -> t.price();
                      case OrderDesk.OrderOco oco -> oco.stopPrice();
                      case OrderDesk.OrderLimit l -> null;
                    })
            .map(units -> new java.math.BigDecimal(units).movePointLeft(6))
            .orElse(null);
    if (triggerPrice != null && r.quoteId() != null) {
      throw ApiException.invalidParam(
          "quote_id",
          "a trigger order is priced at its trigger price, not at a quote's mark: omit 'quote_id'");
    }
    Quote q =
        quotes.quoteFor(
            key,
            new Pricing.Ask(
                OrderSide.REDEEM,
                asset,
                r.quantity(),
                p.currency(),
                chain,
                "payout.currency",
                "payout.chain",
                r.slippageBps(),
                r.gas(),
                r.developerFee(),
                triggerPrice),
            r.quoteId());
    TokenRow token = OrderReads.assetToken(index, q);
    Optional<String> destination =
        Optional.ofNullable(p.wallet()).map(w -> Params.address("payout.wallet", w));
    Optional<OrderDesk.SignedIntent> intent =
        signed.fromRequest(
            key, q, r.quoteId(), r.signature(), r.permitSignature(), destination, "payout.wallet");
    if (intent.isPresent()) {
      destination = Optional.of(intent.get().owner());
    }
    OrderRow o =
        placer.place(ctx, key, q, destination, Optional.of(token.address()), intent, condition);
    ctx.status(201).json(resource(o, reads.view(o)));
  }

  /** GET /v1/redeems/{id}. */
  public void get(Context ctx) {
    OrderRow o = reads.find(ctx, OrderSide.REDEEM, ctx.pathParam("id"));
    ctx.json(resource(o, reads.view(o)));
  }

  /** GET /v1/redeems[?wallet=0x...]: newest first, cursor-paginated. */
  public void list(Context ctx) {
    reads.list(ctx, OrderSide.REDEEM, this::resource, RedeemResource::id);
  }

  /**
   * POST /v1/redeems/{id}/cancel: 202 with the redeem while the cancel is under way; 200 if it is
   * already cancelled; 409 {@code redeem_not_cancellable} once settled or once the broker leg
   * filled.
   */
  public void cancel(Context ctx) {
    OrderRow o = reads.find(ctx, OrderSide.REDEEM, ctx.pathParam("id"));
    cancel(ctx, o, orders, ErrorCode.REDEEM_NOT_CANCELLABLE, this::render);
  }

  /**
   * Cancels open order {@code o} on request (no fee: everything it locked goes back): 202 with its
   * resource while the cancel is under way, 200 if already cancelled, {@code notCancellable} (409)
   * once settled or once the broker has filled it.
   */
  static void cancel(
      Context ctx,
      OrderRow o,
      OrderDesk desk,
      ErrorCode notCancellable,
      java.util.function.Function<OrderRow, Object> render) {
    if (o.status() == OrderStatus.CANCELLED) {
      ctx.json(render.apply(o));
      return;
    }
    if (!o.isOpen()) {
      throw notCancellable(o, notCancellable, o.side().dbValue() + " is " + o.status().dbValue());
    }
    switch (desk.cancelOrder(o)) {
      case OrderDesk.CancelOutcome.Accepted a -> ctx.status(202).json(render.apply(o));
      case OrderDesk.CancelOutcome.AlreadyFilled f ->
          throw notCancellable(
              o,
              notCancellable,
              "The broker has already filled this " + o.side().dbValue() + "; it is settling");
    }
  }

  private static ApiException notCancellable(OrderRow o, ErrorCode code, String detail) {
    String id = new OrderId(o.side(), o.chainId(), o.orderId()).toString();
    return new ApiException(
        code,
        detail,
        code == ErrorCode.REDEEM_NOT_CANCELLABLE
            ? Map.of("redeem_id", id, "redeem_status", o.status().dbValue())
            : Map.of("order_id", id, "order_status", o.status().dbValue()));
  }

  /** The redeem resource of {@code o} now. */
  Object render(OrderRow o) {
    return resource(o, reads.view(o));
  }

  private RedeemResource resource(OrderRow o, OrderState.View view) {
    return RedeemResource.of(o, index.orderHistory(o.chainId(), o.orderId()), view, chains);
  }
}
