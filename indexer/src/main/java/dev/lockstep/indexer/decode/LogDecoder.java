package dev.lockstep.indexer.decode;

import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.indexer.decode.IndexedEvent.LogPosition;
import dev.lockstep.indexer.model.GasSponsor;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.OrderStatus;
import dev.lockstep.indexer.model.TriggerKind;
import dev.lockstep.indexer.rpc.RawLog;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Decodes raw logs into {@link IndexedEvent}s by topic0, using the event definitions of the
 * generated contract wrappers. Stateless and thread-safe.
 */
public final class LogDecoder {
  /** keccak256("Transfer(address,address,uint256)"), ERC-20. */
  public static final String TRANSFER = EventEncoder.encode(AssetToken.TRANSFER_EVENT);

  public static final String TOKEN_DEPLOYED =
      EventEncoder.encode(AssetTokenFactory.TOKENDEPLOYED_EVENT);
  public static final String ORDER_CREATED = EventEncoder.encode(OrderBook.ORDERCREATED_EVENT);
  public static final String ORDER_PROMOTED = EventEncoder.encode(OrderBook.ORDERPROMOTED_EVENT);
  public static final String ORDER_SETTLED = EventEncoder.encode(OrderBook.ORDERSETTLED_EVENT);
  public static final String ORDER_CANCELLED = EventEncoder.encode(OrderBook.ORDERCANCELLED_EVENT);
  public static final String PAYOUT_CURRENCY_SET =
      EventEncoder.encode(OrderBook.PAYOUTCURRENCYSET_EVENT);
  public static final String ORDER_TERMS_SET = EventEncoder.encode(OrderBook.ORDERTERMSSET_EVENT);
  public static final String ORDER_LIMIT_SET = EventEncoder.encode(OrderBook.ORDERLIMITSET_EVENT);
  public static final String ORDER_TRIGGER_SET =
      EventEncoder.encode(OrderBook.ORDERTRIGGERSET_EVENT);
  public static final String ORDER_TRIGGERED = EventEncoder.encode(OrderBook.ORDERTRIGGERED_EVENT);
  public static final String ORDER_INTENT_USED =
      EventEncoder.encode(OrderBook.ORDERINTENTUSED_EVENT);
  public static final String DEVELOPER_FEES_SWEPT =
      EventEncoder.encode(OrderBook.DEVELOPERFEESSWEPT_EVENT);
  public static final String ORDER_CHARGED = EventEncoder.encode(OrderBook.ORDERCHARGED_EVENT);
  public static final String MINT_ASSET = EventEncoder.encode(OrderBook.MINTASSET_EVENT);
  public static final String DEVELOPER_FEE_ACCRUED =
      EventEncoder.encode(OrderBook.DEVELOPERFEEACCRUED_EVENT);

  /** Topics the order book emits that the indexer projects. */
  public static final List<String> ORDER_TOPICS =
      List.of(
          ORDER_CREATED,
          ORDER_TERMS_SET,
          ORDER_LIMIT_SET,
          ORDER_TRIGGER_SET,
          ORDER_TRIGGERED,
          MINT_ASSET,
          ORDER_PROMOTED,
          ORDER_SETTLED,
          ORDER_CHARGED,
          DEVELOPER_FEE_ACCRUED,
          ORDER_INTENT_USED,
          DEVELOPER_FEES_SWEPT,
          ORDER_CANCELLED);

  /**
   * Decodes {@code log}, or returns empty for a topic the indexer does not project (role grants,
   * approvals, ...). A log that claims a known topic but does not decode throws.
   */
  public Optional<IndexedEvent> decode(RawLog raw) {
    String topic0 = raw.topic(0);
    if (topic0 == null) {
      return Optional.empty();
    }
    LogPosition at = position(raw);
    if (topic0.equals(TRANSFER) && raw.topics().size() == 3) {
      // ERC-20 Transfer is the hot path of a backfill: decoded by hand (two indexed addresses in
      // topics 1-2, the uint256 value as the 32-byte data word) instead of through the ABI decoder.
      String data = raw.data();
      if (data.length() != 66) {
        throw new IllegalArgumentException("Transfer log without a 32-byte value at " + at);
      }
      return Optional.of(
          new IndexedEvent.Transfer(
              at,
              raw.address(),
              topicAddress(raw.topic(1)),
              topicAddress(raw.topic(2)),
              uint256(data)));
    }
    // The rest are rare: decoded with the generated wrappers' ABI definitions.
    Log log = raw.toWeb3j();
    if (topic0.equals(TOKEN_DEPLOYED)) {
      var e = AssetTokenFactory.getTokenDeployedEventFromLog(log);
      return Optional.of(new IndexedEvent.TokenDeployed(at, lower(e.token), e.symbol));
    }
    if (topic0.equals(ORDER_CREATED)) {
      var e = OrderBook.getOrderCreatedEventFromLog(log);
      return Optional.of(
          new IndexedEvent.OrderCreated(
              at,
              e.orderId.longValueExact(),
              OrderSide.ofChain(e.side.intValueExact()),
              lower(e.owner),
              lower(e.token),
              OrderStatus.ofChain(e.status.intValueExact()),
              e.quantity,
              lower(e.currency),
              e.notionalBound,
              lower(e.destination)));
    }
    if (topic0.equals(ORDER_TERMS_SET)) {
      var e = OrderBook.getOrderTermsSetEventFromLog(log);
      return Optional.of(
          new IndexedEvent.OrderTermsSet(
              at,
              e.orderId.longValueExact(),
              e.platformFeeBps.intValueExact(),
              e.developerFeeBps.intValueExact(),
              lower(e.developerFeeRecipient),
              GasSponsor.ofChain(e.gasSponsor.intValueExact()),
              e.maxGas,
              e.locked));
    }
    if (topic0.equals(ORDER_LIMIT_SET)) {
      var e = OrderBook.getOrderLimitSetEventFromLog(log);
      return Optional.of(
          new IndexedEvent.OrderLimitSet(
              at,
              e.orderId.longValueExact(),
              e.limitPrice,
              java.time.Instant.ofEpochSecond(e.goodTill.longValueExact())));
    }
    if (topic0.equals(ORDER_TRIGGER_SET)) {
      var e = OrderBook.getOrderTriggerSetEventFromLog(log);
      return Optional.of(
          new IndexedEvent.OrderTriggerSet(
              at,
              e.orderId.longValueExact(),
              TriggerKind.ofChain(e.kind.intValueExact()),
              e.triggerPrice,
              java.time.Instant.ofEpochSecond(e.goodTill.longValueExact()),
              e.ocoPeer.longValueExact()));
    }
    if (topic0.equals(ORDER_TRIGGERED)) {
      var e = OrderBook.getOrderTriggeredEventFromLog(log);
      return Optional.of(
          new IndexedEvent.OrderTriggered(
              at,
              e.orderId.longValueExact(),
              e.mark,
              OrderStatus.ofChain(e.status.intValueExact())));
    }
    if (topic0.equals(ORDER_INTENT_USED)) {
      var e = OrderBook.getOrderIntentUsedEventFromLog(log);
      return Optional.of(
          new IndexedEvent.OrderIntentUsed(
              at, e.orderId.longValueExact(), lower(e.owner), lower(e.relayer)));
    }
    if (topic0.equals(DEVELOPER_FEES_SWEPT)) {
      var e = OrderBook.getDeveloperFeesSweptEventFromLog(log);
      return Optional.of(
          new IndexedEvent.DeveloperFeesSwept(at, lower(e.recipient), lower(e.currency), e.amount));
    }
    if (topic0.equals(DEVELOPER_FEE_ACCRUED)) {
      var e = OrderBook.getDeveloperFeeAccruedEventFromLog(log);
      return Optional.of(
          new IndexedEvent.DeveloperFeeAccrued(
              at, lower(e.recipient), lower(e.currency), e.orderId.longValueExact(), e.amount));
    }
    if (topic0.equals(MINT_ASSET)) {
      var e = OrderBook.getMintAssetEventFromLog(log);
      return Optional.of(new IndexedEvent.MintAsset(at, e.orderId.longValueExact(), e.symbol));
    }
    if (topic0.equals(ORDER_CHARGED)) {
      var e = OrderBook.getOrderChargedEventFromLog(log);
      return Optional.of(
          new IndexedEvent.OrderCharged(
              at, e.orderId.longValueExact(), e.costs, e.platformFee, e.developerFee, e.gas));
    }
    if (topic0.equals(ORDER_PROMOTED)) {
      var e = OrderBook.getOrderPromotedEventFromLog(log);
      return Optional.of(new IndexedEvent.OrderPromoted(at, e.orderId.longValueExact()));
    }
    if (topic0.equals(ORDER_SETTLED)) {
      var e = OrderBook.getOrderSettledEventFromLog(log);
      return Optional.of(
          new IndexedEvent.OrderSettled(at, e.orderId.longValueExact(), e.grossNotional, e.payout));
    }
    if (topic0.equals(ORDER_CANCELLED)) {
      var e = OrderBook.getOrderCancelledEventFromLog(log);
      return Optional.of(
          new IndexedEvent.OrderCancelled(at, e.orderId.longValueExact(), lower(e.by)));
    }
    if (topic0.equals(PAYOUT_CURRENCY_SET)) {
      var e = OrderBook.getPayoutCurrencySetEventFromLog(log);
      return Optional.of(new IndexedEvent.PayoutCurrencySet(at, lower(e.token), e.accepted));
    }
    return Optional.empty();
  }

  /**
   * A 0x-prefixed 32-byte hex word as an unsigned integer; words below 2^63 skip BigInteger's
   * parser.
   */
  private static BigInteger uint256(String word) {
    for (int i = 2; i < 51; i++) {
      if (word.charAt(i) != '0') {
        return new BigInteger(word.substring(2), 16);
      }
    }
    return BigInteger.valueOf(Long.parseLong(word, 51, 66, 16));
  }

  /** The address in the low 20 bytes of a 32-byte topic, lowercase 0x-hex. */
  private static String topicAddress(String topic) {
    return "0x" + topic.substring(topic.length() - 40);
  }

  private static LogPosition position(RawLog log) {
    return new LogPosition(
        log.blockNumber(), log.blockHash(), log.transactionHash(), log.logIndex());
  }

  private static String lower(String address) {
    return address.toLowerCase();
  }
}
