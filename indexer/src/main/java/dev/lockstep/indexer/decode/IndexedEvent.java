package dev.lockstep.indexer.decode;

import dev.lockstep.indexer.model.GasSponsor;
import dev.lockstep.indexer.model.OrderSide;
import java.math.BigInteger;

/**
 * A decoded log the indexer projects. Every event knows where it sits on the chain ({@link
 * LogPosition}); amounts are integer base units.
 */
public sealed interface IndexedEvent {
  LogPosition position();

  /** ERC-20 Transfer; {@code from} is the zero address for a mint, {@code to} for a burn. */
  record Transfer(LogPosition position, String token, String from, String to, BigInteger amount)
      implements IndexedEvent {}

  /** AssetTokenFactory.TokenDeployed. */
  record TokenDeployed(LogPosition position, String token, String symbol) implements IndexedEvent {}

  /** OrderBook.OrderCreated; {@code active} is false for a QUEUED order. */
  record OrderCreated(
      LogPosition position,
      long orderId,
      OrderSide side,
      String owner,
      String token,
      dev.lockstep.indexer.model.OrderStatus status,
      BigInteger quantity,
      String payoutToken,
      BigInteger minNotional,
      String destination)
      implements IndexedEvent {}

  /** OrderBook.OrderPromoted: QUEUED to ACTIVE. */
  record OrderPromoted(LogPosition position, long orderId) implements IndexedEvent {}

  /**
   * OrderBook.OrderSettled: a redeem's tokens burned and {@code payout} paid to its destination, or
   * a mint's quantity minted and {@code payout} refunded to its owner.
   */
  record OrderSettled(
      LogPosition position, long orderId, BigInteger grossNotional, BigInteger payout)
      implements IndexedEvent {}

  /** OrderBook.PayoutCurrencySet: {@code token} accepted (or no longer) as payout currency. */
  record PayoutCurrencySet(LogPosition position, String token, boolean accepted)
      implements IndexedEvent {}

  /**
   * OrderBook.OrderTermsSet, emitted with OrderCreated: the order's fees and gas budget, and a
   * mint's stablecoin lock (0 for a redeem). Amounts in the stablecoin's base units.
   */
  record OrderTermsSet(
      LogPosition position,
      long orderId,
      int platformFeeBps,
      int developerFeeBps,
      String developerFeeRecipient,
      GasSponsor gasSponsor,
      BigInteger maxGas,
      BigInteger locked)
      implements IndexedEvent {}

  /**
   * OrderBook.OrderLimitSet, emitted with OrderCreated for a limit order: {@code limitPrice} in
   * stablecoin base units per whole share (a redeem settles at or above it, a mint at or below),
   * and the last second it may settle.
   */
  record OrderLimitSet(
      LogPosition position, long orderId, BigInteger limitPrice, java.time.Instant goodTill)
      implements IndexedEvent {}

  /**
   * OrderBook.OrderTriggerSet, emitted with OrderCreated for a trigger sell (created ARMED): its
   * kind, trigger price (stablecoin base units per whole share), the last second it may trigger or
   * settle, and the other leg of its OCO pair (0: none).
   */
  record OrderTriggerSet(
      LogPosition position,
      long orderId,
      dev.lockstep.indexer.model.TriggerKind kind,
      BigInteger triggerPrice,
      java.time.Instant goodTill,
      long ocoPeer)
      implements IndexedEvent {}

  /**
   * OrderBook.OrderTriggered: the keeper triggered an ARMED order at {@code mark} (stablecoin base
   * units per whole share, its 30 s TWAP); the order is now {@code status} (ACTIVE or QUEUED).
   */
  record OrderTriggered(
      LogPosition position,
      long orderId,
      BigInteger mark,
      dev.lockstep.indexer.model.OrderStatus status)
      implements IndexedEvent {}

  /**
   * OrderBook.OrderIntentUsed: order {@code orderId} was created from {@code owner}'s signed
   * intent, submitted (and its gas deposit paid) by {@code relayer}.
   */
  record OrderIntentUsed(LogPosition position, long orderId, String owner, String relayer)
      implements IndexedEvent {}

  /**
   * OrderBook.DeveloperFeesSwept: {@code amount} base units of {@code currency} paid from the
   * book's fee escrow to {@code recipient}.
   */
  record DeveloperFeesSwept(
      LogPosition position, String recipient, String currency, BigInteger amount)
      implements IndexedEvent {}

  /**
   * OrderBook.DeveloperFeeAccrued: {@code amount} (base units of {@code currency}) accrued to
   * {@code recipient} in the book's fee escrow by the settle of {@code orderId}.
   */
  record DeveloperFeeAccrued(
      LogPosition position, String recipient, String currency, long orderId, BigInteger amount)
      implements IndexedEvent {}

  /** OrderBook.MintAsset: the asset symbol a mint order buys. */
  record MintAsset(LogPosition position, long orderId, String symbol) implements IndexedEvent {}

  /**
   * OrderBook.OrderCharged, emitted with OrderSettled: the broker's costs, the platform fee, the
   * developer fee (accrued in the book's escrow) and the gas charged.
   */
  record OrderCharged(
      LogPosition position,
      long orderId,
      BigInteger costs,
      BigInteger platformFee,
      BigInteger developerFee,
      BigInteger gas)
      implements IndexedEvent {}

  /** OrderBook.OrderCancelled by {@code by} (keeper or owner). */
  record OrderCancelled(LogPosition position, long orderId, String by) implements IndexedEvent {}

  /**
   * Where a log sits.
   *
   * @param blockNumber block number
   * @param blockHash hash of the block that holds the log
   * @param txHash transaction hash
   * @param logIndex index of the log in its block
   */
  record LogPosition(long blockNumber, String blockHash, String txHash, int logIndex) {}
}
