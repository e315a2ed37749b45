package dev.lockstep.api.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lockstep.api.Amounts;
import dev.lockstep.api.ChainNames;
import dev.lockstep.api.Pagination;
import dev.lockstep.api.Params;
import dev.lockstep.api.RequestBodies;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.customer.CustomerStore;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.indexer.model.TokenKind;
import dev.lockstep.indexer.store.BalanceRow;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.TokenRow;
import dev.lockstep.indexer.sync.ChainHealth;
import dev.lockstep.indexer.sync.SyncStatus;
import dev.lockstep.ports.OrderDesk;
import dev.lockstep.ports.PriceFeed;
import dev.lockstep.ports.VenueCalendar;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * GET /v1/chains and GET /v1/tokens (the public catalog: the same for every tenant) and GET
 * /v1/positions (the holdings of the caller's customers' wallets), served from the index with marks
 * from the price feed. Lists are cursor-paginated.
 */
public final class CatalogRoutes {
  private static final Map<String, String> DISPLAY =
      Map.of("ethereum", "Ethereum", "base", "Base", "arbitrum", "Arbitrum");

  private final IndexReader index;
  private final ChainNames chains;
  private final Supplier<List<ChainHealth>> health;
  private final CustomerStore customers;
  private final PriceFeed prices;
  private final OrderDesk desk;
  private final Clock clock;

  /**
   * @param health every served chain's sync state, in configuration order
   * @param customers whose wallets a tenant's positions are
   * @param desk deploys tokens ahead of their first mint
   */
  private final VenueCalendar calendar;

  public CatalogRoutes(
      IndexReader index,
      ChainNames chains,
      Supplier<List<ChainHealth>> health,
      CustomerStore customers,
      PriceFeed prices,
      OrderDesk desk,
      VenueCalendar calendar,
      Clock clock) {
    this.calendar = calendar;
    this.index = index;
    this.chains = chains;
    this.health = health;
    this.customers = customers;
    this.prices = prices;
    this.desk = desk;
    this.clock = clock;
  }

  /** {@code POST /v1/tokens/{ticker}/ensure_deployed}. */
  public record EnsureDeployedRequest(String chain) {}

  /**
   * A token deployed ahead of its first mint: {@code deployed} now, or {@code deploying} (the
   * keeper's transaction is under way; {@code address} is already final, a CREATE2 prediction).
   */
  public record TokenDeployment(
      String object, String ticker, String chain, long chainId, String address, String status) {}

  /**
   * POST /v1/tokens/{ticker}/ensure_deployed {chain}: idempotent; 200 when the token exists, 202
   * while the keeper deploys it. {@code asset_not_found} outside the universe.
   */
  public void ensureDeployed(Context ctx) {
    String ticker = ctx.pathParam("ticker");
    EnsureDeployedRequest r = RequestBodies.read(ctx, EnsureDeployedRequest.class);
    tokenOf(ticker);
    long chainId =
        Optional.ofNullable(r.chain())
            .flatMap(chains::idOf)
            .orElseThrow(
                () -> ApiException.invalidParam("chain", "'chain' must be a chain of /v1/chains"));
    OrderDesk.TokenDeployment d;
    try {
      d = desk.ensureDeployed(chainId, ticker);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParam("chain", "No order book is kept on " + r.chain());
    }
    ctx.status(d.deployed() ? 200 : 202)
        .json(
            new TokenDeployment(
                "token_deployment",
                ticker,
                r.chain(),
                chainId,
                d.address(),
                d.deployed() ? "deployed" : "deploying"));
  }

  /**
   * A chain Lockstep serves.
   *
   * @param id catalog name, as in {@code settlement.chain} / {@code payout.chain}
   * @param payOutCurrencies symbols of the stablecoins its order book accepts as payout (on-chain)
   * @param stablecoins those stablecoins with their addresses
   * @param status sync state
   * @param indexedBlock last block served by the API
   * @param finalizedBlock rows at or below it are final
   */
  public record Chain(
      String object,
      String id,
      long chainId,
      String name,
      List<String> payOutCurrencies,
      List<Stablecoin> stablecoins,
      SyncStatus status,
      long headBlock,
      long indexedBlock,
      long finalizedBlock) {}

  /** A payout stablecoin on one chain. */
  public record Stablecoin(String currency, String tokenAddress, int decimals) {}

  /** A token's deployment on one chain. */
  public record TokenChain(String chain, long chainId, String address, String supply) {}

  /**
   * An asset token across chains; {@code supply} is the sum over chains; {@code nav_usdc} the
   * latest mark (USD per share, 6 decimals) when the feed prices it.
   *
   * @param id the ticker (tokens are identified by ticker)
   * @param spvId the SPV holding the underlying, when the venue publishes one
   * @param attestationUrl the SPV's current broker attestation report
   * @param venue the venue trading the underlying ({@code /v1/venues/{id}})
   * @param assetClass the asset's class there
   */
  public record Token(
      String id,
      String object,
      String ticker,
      String venue,
      VenueCalendar.AssetClass assetClass,
      int decimals,
      String supply,
      Optional<String> navUsdc,
      Nav nav,
      List<TokenChain> chains,
      Optional<String> spvId,
      Optional<String> attestationUrl) {}

  /**
   * The mark behind a NAV: {@code stale} when the feed's latest tick is older than 120 s or the
   * feed has no price (then {@code price_usdc} and {@code as_of} are absent); {@code twap_30s_usdc}
   * the time-weighted average of the last 30 s of ticks, when the feed computes one.
   */
  public record Nav(
      Optional<String> priceUsdc,
      Optional<Instant> asOf,
      boolean stale,
      @JsonProperty("twap_30s_usdc") Optional<String> twap30sUsdc) {}

  /**
   * A wallet's holding of one asset token on one chain; {@code final} is false while a transfer in
   * an unfinalized block touches it; {@code nav_usdc} = quantity x mark, rounded down to 6
   * decimals.
   *
   * @param id {@code pos_<chainId>_<token address>_<wallet>}
   */
  public record Position(
      String id,
      String object,
      String token,
      String chain,
      long chainId,
      String tokenAddress,
      String wallet,
      String quantity,
      Optional<String> navUsdc,
      Nav nav,
      @JsonProperty("yield") Optional<Yield> yields,
      Optional<String> attestationUrl,
      @JsonProperty("final") boolean isFinal) {}

  /**
   * An asset's trailing-30-day yield, annualized, in basis points: gross, and net of the SPV's
   * management and performance fees (reference platform-docs "Positions").
   */
  public record Yield(int grossApyBps, int netApyBps) {}

  /** One chain's part of a {@link TickerPosition}. */
  public record PositionChain(
      String chain,
      long chainId,
      String tokenAddress,
      String quantity,
      @JsonProperty("final") boolean isFinal) {}

  /**
   * A wallet's holding of one ticker over every chain (reference platform-docs "Positions": {@code
   * client.positions.get("AAPL", wallet=...)}): {@code quantity} is the sum over {@code chains},
   * {@code nav_usdc} that sum at the latest mark; {@code final} when every chain's part is.
   */
  public record TickerPosition(
      String id,
      String object,
      String token,
      String wallet,
      String quantity,
      Optional<String> navUsdc,
      Nav nav,
      @JsonProperty("yield") Optional<Yield> yields,
      Optional<String> attestationUrl,
      List<PositionChain> chains,
      @JsonProperty("final") boolean isFinal) {}

  /** GET /v1/chains: every chain served, with its payout currencies and sync state. */
  public void chains(Context ctx) {
    List<Chain> data =
        health.get().stream()
            .map(
                h -> {
                  List<Stablecoin> stables =
                      index.payoutCurrencies(h.chainId()).stream()
                          .map(p -> new Stablecoin(p.symbol(), p.token(), p.decimals()))
                          .toList();
                  return new Chain(
                      "chain",
                      h.name(),
                      h.chainId(),
                      DISPLAY.getOrDefault(h.name(), h.name()),
                      stables.stream().map(Stablecoin::currency).toList(),
                      stables,
                      h.status(),
                      h.headBlock(),
                      h.indexedBlock(),
                      h.finalizedBlock());
                })
            .toList();
    ctx.json(Pagination.of(ctx).page(data, Chain::id));
  }

  /**
   * GET /v1/tokens: the asset universe, by ticker: every token deployed on a served chain and every
   * ticker the price feed prices (a ticker nobody has minted yet lists no chains and a supply of
   * 0), so an integrator sees what it can mint before anyone has.
   */
  public void tokens(Context ctx) {
    ctx.json(Pagination.of(ctx).page(catalog(), Token::id));
  }

  /**
   * GET /v1/tokens/{ticker}: one token of the universe.
   *
   * @throws ApiException 404 {@code asset_not_found} for a ticker not in the universe
   */
  public void token(Context ctx) {
    String ticker = ctx.pathParam("ticker");
    ctx.json(tokenOf(ticker));
  }

  /**
   * The universe's token {@code ticker}.
   *
   * @throws ApiException {@code asset_not_found} outside the universe
   */
  private Token tokenOf(String ticker) {
    return catalog().stream()
        .filter(t -> t.ticker().equals(ticker))
        .findFirst()
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.ASSET_NOT_FOUND,
                    "No token '" + ticker + "' in the universe",
                    Map.of("ticker", ticker)));
  }

  /** Every token of the universe, by ticker. */
  private List<Token> catalog() {
    Map<String, List<TokenRow>> bySymbol = new java.util.TreeMap<>();
    for (TokenRow t : index.tokens()) {
      if (t.kind() == TokenKind.ASSET) {
        bySymbol.computeIfAbsent(t.symbol(), s -> new ArrayList<>()).add(t);
      }
    }
    for (String symbol : prices.symbols()) {
      bySymbol.computeIfAbsent(symbol, s -> new ArrayList<>());
    }
    return bySymbol.entrySet().stream()
        .map(
            e -> {
              List<TokenRow> rows = e.getValue();
              int decimals = rows.isEmpty() ? ASSET_DECIMALS : rows.getFirst().decimals();
              BigInteger total =
                  rows.stream().map(TokenRow::totalSupply).reduce(BigInteger.ZERO, BigInteger::add);
              Optional<PriceFeed.Mark> mark = prices.mark(e.getKey());
              String symbol = e.getKey();
              return new Token(
                  e.getKey(),
                  "token",
                  e.getKey(),
                  calendar.venueOf(e.getKey()).id(),
                  calendar.assetClassOf(e.getKey()),
                  decimals,
                  Amounts.format(total, decimals),
                  mark.map(m -> usdc(m.priceUsd())),
                  nav(symbol, mark),
                  rows.stream()
                      .map(
                          r ->
                              new TokenChain(
                                  chains.name(r.chainId()),
                                  r.chainId(),
                                  r.address(),
                                  Amounts.format(r.totalSupply(), r.decimals())))
                      .toList(),
                  prices.profile(e.getKey()).map(PriceFeed.AssetProfile::spvId),
                  prices.profile(e.getKey()).map(PriceFeed.AssetProfile::attestationUrl));
            })
        .toList();
  }

  /** Decimals of every asset token the factory deploys ({@code AssetToken.decimals()}). */
  private static final int ASSET_DECIMALS = 6;

  /**
   * GET /v1/positions: the non-zero asset-token holdings of the caller's customers' wallets, or of
   * one of them ({@code wallet=0x...}; a wallet that is not a customer's has no positions here).
   */
  public void positions(Context ctx) {
    String tenant = Authenticator.keyOf(ctx).tenantId();
    Optional<String> wallet = Params.optionalAddress(ctx, "wallet");
    Pagination page = Pagination.of(ctx);
    List<String> wallets =
        wallet
            .map(w -> customers.ownsWallet(tenant, w) ? List.of(w) : List.<String>of())
            .orElseGet(() -> customers.wallets(tenant));
    List<Position> data =
        index.balancesOf(wallets).stream()
            .filter(b -> b.kind() == TokenKind.ASSET)
            .map(this::position)
            .toList();
    ctx.json(page.page(data, Position::id));
  }

  /**
   * GET /v1/positions/{ticker}?wallet=: the wallet's holding of {@code ticker} across chains.
   * {@code asset_not_found} for a ticker outside the universe; {@code position_not_found} when the
   * wallet holds none, or is not one of the tenant's customers' (answered alike, so a tenant learns
   * nothing of other wallets).
   */
  public void position(Context ctx) {
    String tenant = Authenticator.keyOf(ctx).tenantId();
    String ticker = ctx.pathParam("ticker");
    String wallet =
        Params.optionalAddress(ctx, "wallet")
            .orElseThrow(() -> ApiException.invalidParam("wallet", "Pass 'wallet', a 0x address"));
    tokenOf(ticker);
    List<BalanceRow> held =
        customers.ownsWallet(tenant, wallet)
            ? index.balancesOf(wallet).stream()
                .filter(b -> b.kind() == TokenKind.ASSET && b.symbol().equals(ticker))
                .toList()
            : List.of();
    if (held.isEmpty()) {
      throw new ApiException(
          ErrorCode.POSITION_NOT_FOUND,
          "Wallet " + wallet + " holds no " + ticker + " this key can see",
          Map.of("ticker", ticker, "wallet", wallet));
    }
    BigDecimal total = BigDecimal.ZERO;
    List<PositionChain> parts = new java.util.ArrayList<>();
    for (BalanceRow b : held) {
      BigDecimal q = new BigDecimal(b.amount(), b.decimals());
      total = total.add(q);
      parts.add(
          new PositionChain(
              chains.name(b.chainId()), b.chainId(), b.token(), q.toPlainString(), b.isFinal()));
    }
    BigDecimal quantity = total;
    Optional<PriceFeed.Mark> mark = prices.mark(ticker);
    String symbol = ticker;
    ctx.json(
        new TickerPosition(
            "pos_" + ticker + "_" + wallet,
            "position",
            ticker,
            wallet,
            quantity.toPlainString(),
            mark.map(m -> usdc(quantity.multiply(m.priceUsd()))),
            nav(symbol, mark),
            yieldOf(ticker),
            prices.profile(ticker).map(PriceFeed.AssetProfile::attestationUrl),
            parts,
            parts.stream().allMatch(PositionChain::isFinal)));
  }

  private Position position(BalanceRow b) {
    Optional<PriceFeed.Mark> mark = prices.mark(b.symbol());
    String symbol = b.symbol();
    BigDecimal quantity = new BigDecimal(b.amount(), b.decimals());
    return new Position(
        "pos_" + b.chainId() + "_" + b.token() + "_" + b.holder(),
        "position",
        b.symbol(),
        chains.name(b.chainId()),
        b.chainId(),
        b.token(),
        b.holder(),
        quantity.toPlainString(),
        mark.map(m -> usdc(quantity.multiply(m.priceUsd()))),
        nav(symbol, mark),
        yieldOf(b.symbol()),
        prices.profile(b.symbol()).map(PriceFeed.AssetProfile::attestationUrl),
        b.isFinal());
  }

  private Optional<Yield> yieldOf(String ticker) {
    return prices.profile(ticker).map(p -> new Yield(p.grossApyBps(), p.netApyBps()));
  }

  private Nav nav(String symbol, Optional<PriceFeed.Mark> mark) {
    return new Nav(
        mark.map(m -> usdc(m.priceUsd())),
        mark.map(PriceFeed.Mark::at),
        mark.map(m -> m.staleAt(clock.instant())).orElse(true),
        mark.flatMap(m -> prices.twap(symbol, PriceFeed.TWAP_WINDOW)).map(CatalogRoutes::usdc));
  }

  /**
   * A USD amount as USDC: 6 decimals, rounded down (never promise more than the stablecoin pays).
   */
  private static String usdc(BigDecimal usd) {
    return usd.setScale(6, RoundingMode.DOWN).toPlainString();
  }
}
