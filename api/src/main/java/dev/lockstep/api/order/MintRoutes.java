package dev.lockstep.api.order;

import dev.lockstep.api.ChainNames;
import dev.lockstep.api.Params;
import dev.lockstep.api.RequestBodies;
import dev.lockstep.api.auth.ApiKey;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.TokenKind;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.indexer.store.TokenRow;
import dev.lockstep.ports.OrderDesk;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/mints} (reference platform-docs "Mint": the tenant's settlement wallet pays in
 * {@code settlement.currency} on {@code settlement.chain}; the tokens go to {@code
 * settlement.wallet}, by default the settlement wallet), {@code GET /v1/mints[?wallet=]} and {@code
 * GET /v1/mints/{id}}. Mints a wallet creates on chain appear in the same resources.
 */
public final class MintRoutes {
  private final SignedOrders signed;
  private final OrderReads reads;
  private final QuoteRoutes quotes;
  private final OrderPlacer placer;
  private final IndexReader index;
  private final ChainNames chains;

  MintRoutes(
      OrderReads reads,
      QuoteRoutes quotes,
      OrderPlacer placer,
      SignedOrders signed,
      IndexReader index,
      ChainNames chains) {
    this.signed = signed;
    this.reads = reads;
    this.quotes = quotes;
    this.placer = placer;
    this.index = index;
    this.chains = chains;
  }

  /** {@code POST /v1/mints}: 201 with the mint, on chain and indexed ({@code queued} or later). */
  public void create(Context ctx) {
    ApiKey key = Authenticator.keyOf(ctx);
    OrderRequests.MintRequest r = RequestBodies.read(ctx, OrderRequests.MintRequest.class);
    OrderRequests.Settlement s =
        Optional.ofNullable(r.settlement()).orElse(new OrderRequests.Settlement(null, null, null));
    Quote q =
        quotes.quoteFor(
            key,
            new Pricing.Ask(
                OrderSide.MINT,
                r.asset(),
                r.quantity(),
                s.currency(),
                s.chain(),
                "settlement.currency",
                "settlement.chain",
                r.slippageBps(),
                r.gas(),
                r.developerFee(),
                null),
            r.quoteId());
    Optional<String> destination =
        Optional.ofNullable(s.wallet()).map(w -> Params.address("settlement.wallet", w));
    Optional<OrderDesk.SignedIntent> intent =
        signed.fromRequest(
            key,
            q,
            r.quoteId(),
            r.signature(),
            r.permitSignature(),
            destination,
            "settlement.wallet");
    if (intent.isPresent()) {
      destination = Optional.of(intent.get().owner());
    }
    Optional<OrderDesk.OrderCondition> condition =
        placer.condition(
            OrderSide.MINT,
            r.orderType(),
            r.limitPrice(),
            null,
            null,
            r.goodTill(),
            intent.isPresent());
    OrderRow o = placer.place(ctx, key, q, destination, Optional.empty(), intent, condition);
    ctx.status(201).json(resource(o, reads.view(o), index.tokens()));
  }

  /** The mint resource of {@code o} now. */
  Object render(OrderRow o) {
    return resource(o, reads.view(o), index.tokens());
  }

  /** {@code GET /v1/mints/{id}}. */
  public void get(Context ctx) {
    OrderRow o = reads.find(ctx, OrderSide.MINT, ctx.pathParam("id"));
    ctx.json(resource(o, reads.view(o), index.tokens()));
  }

  /** {@code GET /v1/mints[?wallet=]}: newest first, cursor-paginated. */
  public void list(Context ctx) {
    List<TokenRow> tokens = index.tokens();
    reads.list(ctx, OrderSide.MINT, (o, v) -> resource(o, v, tokens), MintResource::id);
  }

  private MintResource resource(OrderRow o, OrderState.View view, List<TokenRow> tokens) {
    // The settle deployed the token when the token's first block is the settle's block.
    boolean autoDeployed =
        tokens.stream()
            .anyMatch(
                t ->
                    t.kind() == TokenKind.ASSET
                        && t.chainId() == o.chainId()
                        && t.address().equalsIgnoreCase(o.token())
                        && t.firstBlock() == o.updatedBlock());
    return MintResource.of(
        o, index.orderHistory(o.chainId(), o.orderId()), view, autoDeployed, chains);
  }
}
