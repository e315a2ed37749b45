package dev.lockstep.keeper.broker;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The off-chain prime broker that offsets the underlying of each order (SPEC "Redeem": the broker
 * leg). Implementations must be idempotent per (chain, order) and thread-safe.
 */
public interface PrimeBroker {
  /**
   * Asks the broker to offset an order: buy (a mint) or sell (a redeem) {@code quantity} base units
   * (1e-6 share) of {@code asset}; no-op if already asked.
   */
  void requestOffset(
      long chainId,
      long orderId,
      dev.lockstep.indexer.model.OrderSide side,
      String asset,
      BigInteger quantity,
      Instant now);

  /**
   * The broker-of-record's position in each asset on {@code chainId} at {@code cutoff} (T+0, trade
   * basis: executions up to then), base units (1e-6 share); what the daily reconciliation compares
   * with the chain. Assets it holds none of are absent.
   */
  default java.util.Map<String, BigInteger> positions(long chainId, Instant cutoff) {
    return java.util.Map.of();
  }

  /**
   * The broker's signed proof of reserve for {@code asset}'s token on {@code chainId}: the shares
   * its custodian holds for the token as of {@code asOf} (settlement basis: an execution counts
   * once it clears, when its order settles on chain), signed by its reserve attester (the factory's
   * RESERVE_ATTESTER_ROLE, never the keeper's key) for round {@code round} of the token's feed
   * {@code feed}. Empty when the broker does not attest reserves (a token's feed then keeps its
   * last answer and minting stops once it is stale).
   */
  default Optional<dev.lockstep.contracts.ReserveReport> reserveReport(
      long chainId, String asset, String token, String feed, Instant asOf, long round) {
    return Optional.empty();
  }

  /**
   * Which of {@code orderIds} on {@code chainId} the broker had executed (filled) at or before
   * {@code cutoff}.
   */
  default java.util.Set<Long> executedBy(
      long chainId, java.util.Collection<Long> orderIds, Instant cutoff) {
    java.util.Set<Long> out = new java.util.HashSet<>();
    legsOf(chainId, orderIds)
        .forEach(
            (id, leg) -> {
              if (leg.status() == LegStatus.FILLED) {
                out.add(id);
              }
            });
    return out;
  }

  /** Reveals every leg whose fill or failure has arrived by {@code now}. */
  void poll(Instant now);

  /**
   * When the next of the chain's legs is due an answer after {@code now} (a pending leg's fill or
   * failure, a filled leg's clearing), if the broker says: the keeper wakes then instead of waiting
   * for its next scheduled round.
   */
  default Optional<Instant> nextAnswerDue(long chainId, Instant now) {
    return Optional.empty();
  }

  /**
   * The broker's signed fill of a {@code filled} leg for {@code OrderBook.settle} on the order book
   * {@code orderBook}: EIP-712, by the broker's attester key (ATTESTER_ROLE), never the keeper's.
   * Asked once per settle intent (the intent keeps the call data); the contract accepts one settle
   * per order whatever the attestation.
   *
   * @throws IllegalArgumentException if the leg is not filled
   */
  dev.lockstep.contracts.FillAttestation attestation(BrokerLeg filled, String orderBook);

  /** The leg of an order, if requested. */
  Optional<BrokerLeg> leg(long chainId, long orderId);

  /** The legs of {@code orderIds} that exist, by order id. */
  default java.util.Map<Long, BrokerLeg> legsOf(long chainId, java.util.Collection<Long> orderIds) {
    java.util.Map<Long, BrokerLeg> out = new java.util.HashMap<>();
    for (long id : orderIds) {
      leg(chainId, id).ifPresent(l -> out.put(id, l));
    }
    return out;
  }

  /**
   * Fills recorded in [from, to), oldest first (see {@link dev.lockstep.ports.OrderDesk#fills}); a
   * broker that cannot list them answers none.
   */
  default List<dev.lockstep.ports.OrderDesk.Fill> fills(Instant from, Instant to, int limit) {
    return List.of();
  }

  /** Legs in {@code status}, oldest first, at most {@code limit}. */
  List<BrokerLeg> legs(long chainId, LegStatus status, int limit);

  /**
   * Cancels an order's offset before it fills: a pending leg becomes {@code cancelled}; an order
   * without a leg gets a {@code cancelled} one so it is never offset.
   *
   * @return the leg after the call; {@code filled} means it was too late to cancel
   */
  BrokerLeg cancelOffset(
      long chainId, long orderId, String asset, BigInteger quantity, Instant now);
}
