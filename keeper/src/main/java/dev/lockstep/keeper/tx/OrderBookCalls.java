package dev.lockstep.keeper.tx;

import dev.lockstep.contracts.FillAttestation;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.keeper.tx.RevertDecoder.DecodedError;
import dev.lockstep.ports.OrderDesk;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The OrderBook calls the keeper makes, their selectors (the signer's allowlist) and what their
 * reverts mean.
 */
public final class OrderBookCalls {
  /** Custom errors of the OrderBook (and of what it calls). */
  public static final RevertDecoder REVERTS =
      new RevertDecoder(
          OrderBook.class,
          dev.lockstep.contracts.generated.AssetTokenFactory.class,
          dev.lockstep.contracts.generated.AssetToken.class,
          dev.lockstep.contracts.generated.ReserveFeed.class);

  /**
   * The selector of {@code AssetTokenFactory.reportReserve(string,uint256,uint64,address,bytes)},
   * the one factory call the keeper's key may make (relaying a signed reserve report).
   */
  public static final String REPORT_RESERVE_SELECTOR =
      new dev.lockstep.contracts.ReserveReport(
              "0x" + "0".repeat(40), BigInteger.ZERO, 0, 0, "0x" + "0".repeat(40), "0x")
          .factoryCallData("A")
          .substring(0, 10);

  private OrderBookCalls() {}

  /** {@code promote(orderId)}. */
  public static String promote(long orderId) {
    return FunctionEncoder.encode(
        new Function("promote", List.of(new Uint256(orderId)), List.of()));
  }

  /**
   * {@code settle(fill, attester, signature, gasCharge)}: the broker's attested fill (the contract
   * derives every amount it pays, mints or refunds from it and the order's terms, and only against
   * the attester's signature).
   *
   * @param gasCharge the settle's gas in the order's stablecoin base units; the contract charges at
   *     most the order's {@code maxGas}, which its creator agreed to
   */
  public static String settle(FillAttestation fill, BigInteger gasCharge) {
    return fill.settleCallData(gasCharge);
  }

  /**
   * {@code trigger(orderId, mark)}: an ARMED trigger sell whose condition the asset's mark meets.
   *
   * @param mark stablecoin base units per whole share (the 30 s TWAP the keeper read)
   */
  public static String trigger(long orderId, BigInteger mark) {
    return FunctionEncoder.encode(
        new Function("trigger", List.of(new Uint256(orderId), new Uint256(mark)), List.of()));
  }

  /** {@code sweepDeveloperFees(recipient, currency)}: pays the recipient its whole escrow. */
  public static String sweepDeveloperFees(String recipient, String currency) {
    return FunctionEncoder.encode(
        new Function(
            "sweepDeveloperFees",
            List.of(new Address(recipient), new Address(currency)),
            List.of()));
  }

  /** {@code cancel(orderId)}. */
  public static String cancel(long orderId) {
    return FunctionEncoder.encode(new Function("cancel", List.of(new Uint256(orderId)), List.of()));
  }

  /** {@code setSessionOpen(open)}: whether new orders start ACTIVE. */
  public static String setSessionOpen(boolean open) {
    return FunctionEncoder.encode(
        new Function("setSessionOpen", List.of(new org.web3j.abi.datatypes.Bool(open)), List.of()));
  }

  /** {@code ensureDeployed(symbol)}. */
  public static String ensureDeployed(String symbol) {
    return FunctionEncoder.encode(
        new Function(
            "ensureDeployed", List.of(new org.web3j.abi.datatypes.Utf8String(symbol)), List.of()));
  }

  /** The book's {@code Terms} struct of {@code t}. */
  static OrderBook.Terms terms(OrderDesk.OrderTerms t) {
    return new OrderBook.Terms(
        BigInteger.valueOf(t.platformFeeBps()),
        BigInteger.valueOf(t.developerFeeBps()),
        t.developerFeeRecipient().orElse(ZERO_ADDRESS),
        BigInteger.valueOf(t.gasSponsor().ordinal()),
        t.maxGas());
  }

  private static final String ZERO_ADDRESS = "0x" + "0".repeat(40);

  /** Zero terms, for encoding a call only to read its selector. */
  private static final OrderDesk.OrderTerms NO_TERMS =
      new OrderDesk.OrderTerms(
          0,
          0,
          Optional.empty(),
          dev.lockstep.indexer.model.GasSponsor.USER_NOTIONAL,
          BigInteger.ZERO);

  /**
   * A settlement wallet's create call for {@code o}: {@code createMint(symbol, quantity, currency,
   * maxNotional, destination, terms)} or {@code createRedeemWithTerms(token, quantity, payoutToken,
   * minNotional, destination, terms)}; for a limit order {@code createMintLimit} / {@code
   * createRedeemLimit} with the {@code Limit} after the terms, for a trigger sell {@code
   * createRedeemTrigger} with the {@code Trigger}, for an OCO pair {@code createRedeemOco} with the
   * {@code Oco}.
   */
  public static String create(OrderDesk.PlaceOrder o) {
    List<org.web3j.abi.datatypes.Type> args =
        new java.util.ArrayList<>(
            List.of(
                o.side() == OrderSide.MINT
                    ? new Utf8String(o.asset())
                    : new Address(
                        o.assetToken()
                            .orElseThrow(
                                () -> new IllegalArgumentException("a redeem needs its token"))),
                new Uint256(o.quantity()),
                new Address(o.currency()),
                new Uint256(o.notionalBound()),
                new Address(o.destination()),
                terms(o.terms())));
    boolean mint = o.side() == OrderSide.MINT;
    String name = mint ? "createMint" : "createRedeemWithTerms";
    if (o.condition().isPresent()) {
      OrderDesk.OrderCondition c = o.condition().get();
      BigInteger till = BigInteger.valueOf(c.goodTill().getEpochSecond());
      if (mint && !(c instanceof OrderDesk.OrderLimit)) {
        throw new IllegalArgumentException("trigger orders are sells");
      }
      switch (c) {
        case OrderDesk.OrderLimit l -> {
          args.add(new OrderBook.Limit(l.price(), till));
          name = mint ? "createMintLimit" : "createRedeemLimit";
        }
        case OrderDesk.OrderTrigger t -> {
          args.add(
              new OrderBook.Trigger(BigInteger.valueOf(t.kind().chainValue()), t.price(), till));
          name = "createRedeemTrigger";
        }
        case OrderDesk.OrderOco oco -> {
          args.add(new OrderBook.Oco(oco.stopPrice(), oco.takeProfitPrice(), till));
          name = "createRedeemOco";
        }
      }
    }
    return FunctionEncoder.encode(new Function(name, args, List.of()));
  }

  /**
   * The relayed create call for {@code o}'s holder intent: {@code createWithIntent(intent,
   * signature, permit)}, the intent's fields being {@code o}'s (a permit of zeros when none).
   */
  public static String createWithIntent(OrderDesk.PlaceOrder o) {
    OrderDesk.SignedIntent si =
        o.intent().orElseThrow(() -> new IllegalArgumentException("not a signed order"));
    boolean mint = o.side() == OrderSide.MINT;
    OrderBook.OrderIntent intent =
        new OrderBook.OrderIntent(
            si.owner(),
            BigInteger.valueOf(mint ? 1 : 0),
            mint ? o.asset() : "",
            mint ? ZERO_ADDRESS : o.assetToken().orElseThrow(),
            o.quantity(),
            o.currency(),
            o.notionalBound(),
            o.destination(),
            terms(o.terms()),
            si.nonce(),
            BigInteger.valueOf(si.deadline()));
    OrderBook.Permit permit =
        si.permit()
            .map(
                p ->
                    new OrderBook.Permit(
                        p.value(),
                        BigInteger.valueOf(p.deadline()),
                        BigInteger.valueOf(p.v()),
                        org.web3j.utils.Numeric.hexStringToByteArray(p.r()),
                        org.web3j.utils.Numeric.hexStringToByteArray(p.s())))
            .orElse(
                new OrderBook.Permit(
                    BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, new byte[32], new byte[32]));
    return FunctionEncoder.encode(
        new Function(
            "createWithIntent",
            List.of(
                intent,
                new org.web3j.abi.datatypes.DynamicBytes(
                    org.web3j.utils.Numeric.hexStringToByteArray(si.signature())),
                permit),
            List.of()));
  }

  /** The selector of {@code createWithIntent}. */
  public static String createWithIntentSelector() {
    return createWithIntent(
            new OrderDesk.PlaceOrder(
                "",
                "",
                OrderSide.REDEEM,
                0,
                "A",
                Optional.of(ZERO_ADDRESS),
                BigInteger.ONE,
                ZERO_ADDRESS,
                BigInteger.ONE,
                ZERO_ADDRESS,
                NO_TERMS,
                Optional.of(
                    new OrderDesk.SignedIntent(
                        ZERO_ADDRESS, BigInteger.ZERO, 0, "0x00", Optional.empty())),
                Optional.empty()))
        .substring(0, 10);
  }

  /** ERC-20 {@code approve(spender, amount)}. */
  public static String approve(String spender, BigInteger amount) {
    return FunctionEncoder.encode(
        new Function("approve", List.of(new Address(spender), new Uint256(amount)), List.of()));
  }

  /** The selector of ERC-20 {@code approve}. */
  public static final String APPROVE_SELECTOR = "0x095ea7b3";

  /**
   * Selectors a settlement wallet may call on an order book: createMint, createRedeemWithTerms,
   * their limit forms createMintLimit and createRedeemLimit, the trigger sells createRedeemTrigger
   * and createRedeemOco, and createWithIntent (relaying a holder's signed order).
   */
  public static Set<String> walletSelectors() {
    Set<String> out = new java.util.HashSet<>();
    java.time.Instant t = java.time.Instant.EPOCH;
    List<Optional<OrderDesk.OrderCondition>> conditions =
        List.of(
            Optional.empty(),
            Optional.of(new OrderDesk.OrderLimit(BigInteger.ONE, t)),
            Optional.of(
                new OrderDesk.OrderTrigger(
                    dev.lockstep.indexer.model.TriggerKind.STOP_LOSS, BigInteger.ONE, t)),
            Optional.of(new OrderDesk.OrderOco(BigInteger.ONE, BigInteger.TWO, t)));
    for (OrderSide side : OrderSide.values()) {
      for (Optional<OrderDesk.OrderCondition> l : conditions) {
        if (side == OrderSide.MINT
            && l.filter(c -> !(c instanceof OrderDesk.OrderLimit)).isPresent()) {
          continue;
        }
        out.add(
            create(
                    new OrderDesk.PlaceOrder(
                        "",
                        "",
                        side,
                        0,
                        "A",
                        Optional.of(ZERO_ADDRESS),
                        BigInteger.ONE,
                        ZERO_ADDRESS,
                        BigInteger.ONE,
                        ZERO_ADDRESS,
                        NO_TERMS,
                        Optional.empty(),
                        l))
                .substring(0, 10));
      }
    }
    out.add(createWithIntentSelector());
    return Set.copyOf(out);
  }

  /**
   * The id of the order a create transaction made: its receipt's {@code OrderCreated} log from
   * {@code orderBook}.
   */
  public static java.util.OptionalLong createdOrder(
      org.web3j.protocol.core.methods.response.TransactionReceipt receipt, String orderBook) {
    for (var e : OrderBook.getOrderCreatedEvents(receipt)) {
      if (e.log != null && e.log.getAddress().equalsIgnoreCase(orderBook)) {
        return java.util.OptionalLong.of(e.orderId.longValueExact());
      }
    }
    return java.util.OptionalLong.empty();
  }

  /**
   * Selectors of promote, trigger, settle, cancel, sweepDeveloperFees, ensureDeployed and
   * setSessionOpen: all the keeper may call on an order book.
   */
  public static Set<String> selectors() {
    return Set.of(
        promote(0).substring(0, 10),
        sweepDeveloperFees(ZERO_ADDRESS, ZERO_ADDRESS).substring(0, 10),
        trigger(0, BigInteger.ZERO).substring(0, 10),
        ensureDeployed("A").substring(0, 10),
        setSessionOpen(true).substring(0, 10),
        new FillAttestation(
                0,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                0,
                "0x" + "0".repeat(40),
                "0x")
            .settleCallData(BigInteger.ZERO)
            .substring(0, 10),
        cancel(0).substring(0, 10));
  }

  /**
   * Whether {@code e} means the call's purpose is already achieved or moot: the order is no longer
   * where the call expects it because someone (another keeper, the owner, an earlier transaction of
   * ours) already moved it to a later state. Such calls are {@code done_by_other}, never retried.
   */
  public static boolean alreadyDone(DecodedError e) {
    Optional<OrderBookError> error = OrderBookError.named(e.name());
    if (error.isEmpty()
        || e.args().size() != 2
        || !(e.args().get(1) instanceof BigInteger status)
        || status.signum() < 0
        || status.intValue() >= ChainOrderStatus.values().length) {
      return false;
    }
    ChainOrderStatus s = ChainOrderStatus.values()[status.intValue()];
    return switch (error.get()) {
      // promote: already active or closed
      case ORDER_NOT_QUEUED -> s != ChainOrderStatus.NONE;
      // trigger: already triggered (active, queued) or closed
      case ORDER_NOT_ARMED -> s != ChainOrderStatus.NONE;
      case ORDER_NOT_ACTIVE, ORDER_NOT_OPEN ->
          s == ChainOrderStatus.SETTLED || s == ChainOrderStatus.CANCELLED;
      case PAYOUT_BELOW_MINIMUM,
          NOTIONAL_ABOVE_MAXIMUM,
          INSUFFICIENT_LIQUIDITY,
          FILL_EXPIRED,
          LIMIT_NOT_MET,
          ORDER_EXPIRED,
          MINT_PAUSED,
          RESERVE_EXCEEDED,
          RESERVE_STALE ->
          false;
    };
  }
}
