package dev.lockstep.api.order;

import dev.lockstep.api.Amounts;
import dev.lockstep.api.ChainNames;
import dev.lockstep.api.Ids;
import dev.lockstep.api.Params;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.indexer.model.GasSponsor;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.PayoutCurrencyRow;
import dev.lockstep.ports.OrderDesk;
import dev.lockstep.ports.PriceFeed;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Prices an order into a {@link Quote}: the asset's fresh mark (refused with {@code
 * price_unavailable} when the feed has none or it is stale), notional = mark × quantity rounded to
 * the base unit in the platform's favour (up for a mint, down for a redeem), the slippage bound
 * ({@code ceil(notional × (10,000 + slippage) / 10,000)} for a mint's maximum, {@code
 * floor(notional × (10,000 − slippage) / 10,000)} less both fees and, when the user's notional pays
 * gas, the gas cap, for a redeem's minimum net payout; never 0), fees rounded up as the order book
 * rounds them, and the chain's settle gas estimate from the keeper (the cap defaults to twice it).
 * Exact decimals throughout. Thread-safe.
 */
public final class Pricing {
  /** Slippage bound when the request names none: 100 bps (1%). */
  static final int DEFAULT_SLIPPAGE_BPS = 100;

  /** Most slippage an order may allow: 5,000 bps (50%). */
  static final int MAX_SLIPPAGE_BPS = 5_000;

  /** Most a developer fee may be: 1,000 bps, the order book's cap on both fees together. */
  static final int MAX_FEE_BPS = 1_000;

  private static final BigDecimal BPS = BigDecimal.valueOf(10_000);

  private final PriceFeed prices;
  private final OrderDesk desk;
  private final IndexReader index;
  private final ChainNames chains;
  private final Clock clock;

  private final MarketGate market;

  Pricing(
      PriceFeed prices,
      OrderDesk desk,
      IndexReader index,
      ChainNames chains,
      MarketGate market,
      Clock clock) {
    this.market = market;
    this.prices = prices;
    this.desk = desk;
    this.index = index;
    this.chains = chains;
    this.clock = clock;
  }

  /**
   * What an order asks for, before pricing (every field checked by {@link #price}).
   *
   * @param atPriceUsd the price per share to quote at instead of the mark (a trigger sell's bound
   *     is set at its trigger price, where it will sell); null: the mark
   */
  record Ask(
      OrderSide side,
      @Nullable String asset,
      @Nullable BigDecimal quantity,
      @Nullable String currency,
      @Nullable String chain,
      String currencyParam,
      String chainParam,
      @Nullable Integer slippageBps,
      OrderRequests.@Nullable Gas gas,
      OrderRequests.@Nullable DeveloperFee developerFee,
      @Nullable BigDecimal atPriceUsd) {}

  /**
   * Prices {@code ask} for a tenant whose platform fee is {@code platformFeeBps}.
   *
   * @throws ApiException {@code invalid_request} for a malformed field, {@code asset_not_found} for
   *     a ticker the feed does not price, {@code price_unavailable} for a stale mark
   */
  Quote price(Ask ask, int platformFeeBps) {
    return price(ask, platformFeeBps, false);
  }

  /**
   * As {@link #price(Ask, int)}; {@code relayed}: the order is a holder's signed one that the
   * settlement wallet relays, so the gas estimate (and the default cap) also counts the relay.
   */
  Quote price(Ask ask, int platformFeeBps, boolean relayed) {
    String asset = required(ask.asset(), "asset");
    long chainId =
        chains
            .idOf(required(ask.chain(), ask.chainParam()))
            .orElseThrow(
                () ->
                    ApiException.invalidParam(
                        ask.chainParam(),
                        "'" + ask.chainParam() + "' must be a chain of /v1/chains"));
    String currency = required(ask.currency(), ask.currencyParam());
    PayoutCurrencyRow stable =
        index.payoutCurrencies(chainId).stream()
            .filter(p -> p.symbol().equals(currency))
            .findFirst()
            .orElseThrow(
                () ->
                    ApiException.invalidParam(
                        ask.currencyParam(),
                        "'"
                            + ask.currencyParam()
                            + "' must be a stablecoin the order book on "
                            + chains.name(chainId)
                            + " accepts (see /v1/chains pay_out_currencies)"));
    BigInteger quantity = shares(ask.quantity());
    int slippage = Optional.ofNullable(ask.slippageBps()).orElse(DEFAULT_SLIPPAGE_BPS);
    if (slippage < 0 || slippage > MAX_SLIPPAGE_BPS) {
      throw ApiException.invalidParam(
          "slippage_bps", "'slippage_bps' must be 0-" + MAX_SLIPPAGE_BPS);
    }
    Instant now = clock.instant();
    PriceFeed.Mark mark =
        prices
            .mark(asset)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.ASSET_NOT_FOUND,
                        "No token '" + asset + "' in the universe",
                        Map.of("ticker", asset)));
    market.checkQuantity(asset, quantity);
    if (mark.staleAt(now)) {
      throw new ApiException(
          ErrorCode.PRICE_UNAVAILABLE,
          "The mark of " + asset + " is stale (last tick " + mark.at() + ")",
          Map.of("ticker", asset, "as_of", mark.at().toString()));
    }
    boolean mint = ask.side() == OrderSide.MINT;
    BigDecimal price = ask.atPriceUsd() != null ? ask.atPriceUsd() : mark.priceUsd();
    BigDecimal exact = price.multiply(new BigDecimal(quantity));
    BigInteger notional =
        exact.setScale(0, mint ? RoundingMode.CEILING : RoundingMode.FLOOR).toBigIntegerExact();
    BigDecimal factor = BPS.add(BigDecimal.valueOf(mint ? slippage : -slippage));
    BigInteger slipped =
        new BigDecimal(notional)
            .multiply(factor)
            .divide(BPS, 0, mint ? RoundingMode.CEILING : RoundingMode.FLOOR)
            .toBigIntegerExact();
    OrderRequests.Gas gas =
        Optional.ofNullable(ask.gas()).orElse(new OrderRequests.Gas(null, null));
    GasSponsor sponsor =
        gas.sponsor() == null
            ? GasSponsor.USER_NOTIONAL
            : java.util.Arrays.stream(GasSponsor.values())
                .filter(g -> g.dbValue().equals(gas.sponsor()))
                .findFirst()
                .orElseThrow(
                    () ->
                        ApiException.invalidParam(
                            "gas.sponsor", "'gas.sponsor' must be user_notional or developer"));
    BigInteger estimate = desk.settleGasEstimate(chainId, ask.side(), relayed);
    BigInteger maxGas =
        gas.maxGasUsdc() == null
            ? estimate.shiftLeft(1)
            : parseUsdc(gas.maxGasUsdc(), "gas.max_gas_usdc");
    Optional<Quote.DeveloperFee> developer =
        developerFee(ask.developerFee(), platformFeeBps, notional);
    BigInteger platformFee = OrderDesk.OrderTerms.feeOf(notional, platformFeeBps);
    OrderDesk.OrderTerms terms =
        new OrderDesk.OrderTerms(
            platformFeeBps,
            developer.map(Quote.DeveloperFee::amountBps).orElse(0),
            developer.map(Quote.DeveloperFee::destination),
            sponsor,
            maxGas);
    BigInteger devFee = OrderDesk.OrderTerms.feeOf(notional, terms.developerFeeBps());
    // A mint's bound caps gross + costs (fees and gas are locked on top); a redeem's is the net
    // payout the book must pay at least: the slipped notional less both fees and the gas cap the
    // user's notional may be charged.
    BigInteger bound =
        mint
            ? slipped
            : slipped
                .subtract(platformFee)
                .subtract(devFee)
                .subtract(sponsor == GasSponsor.USER_NOTIONAL ? maxGas : BigInteger.ZERO);
    if (bound.signum() <= 0) {
      throw ApiException.invalidParam(
          "quantity",
          "The order's notional bound is "
              + OrderMoney.usdc(bound.max(BigInteger.ZERO))
              + " USD after fees and gas at this price: order more");
    }
    Optional<String> total =
        mint
            ? Optional.of(OrderMoney.usdc(terms.mintLock(bound).add(terms.gasDeposit())))
            : Optional.empty();
    Optional<String> payout =
        mint
            ? Optional.empty()
            : Optional.of(
                OrderMoney.usdc(
                    notional
                        .subtract(platformFee)
                        .subtract(devFee)
                        .subtract(
                            sponsor == GasSponsor.USER_NOTIONAL
                                ? estimate.min(maxGas)
                                : BigInteger.ZERO)
                        .max(BigInteger.ZERO)));
    return new Quote(
        Ids.random("qte_", 20),
        "quote",
        ask.side(),
        asset,
        chains.name(chainId),
        chainId,
        currency,
        stable.token(),
        Amounts.format(quantity, 6),
        price.toPlainString(),
        mark.at(),
        OrderMoney.usdc(notional),
        slippage,
        mint ? Optional.of(OrderMoney.usdc(bound)) : Optional.empty(),
        mint ? Optional.empty() : Optional.of(OrderMoney.usdc(bound)),
        new Quote.Fee(platformFeeBps, OrderMoney.usdc(platformFee)),
        developer,
        new Quote.GasTerms(sponsor, OrderMoney.usdc(estimate), OrderMoney.usdc(maxGas)),
        total,
        payout,
        now.plus(Quote.LIFETIME),
        now,
        Optional.empty());
  }

  private static Optional<Quote.DeveloperFee> developerFee(
      OrderRequests.@Nullable DeveloperFee fee, int platformFeeBps, BigInteger notional) {
    if (fee == null || fee.amountBps() == null || fee.amountBps() == 0) {
      return Optional.empty();
    }
    int bps = fee.amountBps();
    if (bps < 0 || bps + platformFeeBps > MAX_FEE_BPS) {
      throw ApiException.invalidParam(
          "developer_fee.amount_bps",
          "'developer_fee.amount_bps' must be 0-"
              + (MAX_FEE_BPS - platformFeeBps)
              + " (with the platform fee of "
              + platformFeeBps
              + " bps at most "
              + MAX_FEE_BPS
              + ")");
    }
    String destination =
        Params.address(
            "developer_fee.destination", required(fee.destination(), "developer_fee.destination"));
    return Optional.of(
        new Quote.DeveloperFee(
            bps, OrderMoney.usdc(OrderDesk.OrderTerms.feeOf(notional, bps)), destination));
  }

  static String required(@Nullable String value, String param) {
    if (value == null || value.isBlank()) {
      throw ApiException.invalidParam(param, "'" + param + "' is required");
    }
    return value;
  }

  /** A positive quantity of shares with at most 6 decimals, in base units. */
  static BigInteger shares(@Nullable BigDecimal quantity) {
    if (quantity == null
        || quantity.signum() <= 0
        || quantity.stripTrailingZeros().scale() > 6
        || quantity.compareTo(BigDecimal.valueOf(1_000_000_000L)) > 0) {
      throw ApiException.invalidParam(
          "quantity", "'quantity' must be a positive number of shares with at most 6 decimals");
    }
    return quantity.movePointRight(6).toBigIntegerExact();
  }

  private static BigInteger parseUsdc(BigDecimal amount, String param) {
    if (amount.signum() < 0 || amount.stripTrailingZeros().scale() > 6) {
      throw ApiException.invalidParam(
          param, "'" + param + "' must be a non-negative USD amount with at most 6 decimals");
    }
    return amount.movePointRight(6).toBigIntegerExact();
  }
}
