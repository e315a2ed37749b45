package dev.lockstep.ports;

import dev.lockstep.indexer.model.GasSponsor;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.store.OrderRow;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the API asks of the keeper side about orders: the cancellation of an open redeem ({@code
 * POST /v1/redeems/{id}/cancel}, reference platform-docs "Redeem") and a token deployed ahead of
 * its first mint, and orders placed from a tenant's settlement wallet. Implemented by the keeper,
 * wired by the daemon, so that {@code api} never imports {@code keeper}. Implementations are
 * thread-safe and idempotent per order.
 */
public interface OrderDesk {
  /** The answer to a cancel request. */
  sealed interface CancelOutcome {
    /**
     * The cancel is under way; the order turns {@code cancelled} once the keeper's tx is indexed.
     */
    record Accepted() implements CancelOutcome {}

    /** The broker leg already filled: too late to cancel, the redeem will settle. */
    record AlreadyFilled() implements CancelOutcome {}
  }

  /**
   * Requests cancellation of {@code order}, which must be open (QUEUED or ACTIVE). Asking twice has
   * the effect of asking once.
   *
   * @throws IllegalArgumentException if the order is already final
   */
  CancelOutcome cancelOrder(OrderRow order);

  /**
   * The token of asset {@code ticker} on chain {@code chainId}, deployed ahead of its first mint
   * (reference platform-docs "Auto-deploy on first mint": {@code ensure_deployed}).
   *
   * @param address the token's address, the factory's CREATE2 prediction (the same before and after
   *     deployment)
   * @param deployed whether the token exists on chain now
   */
  record TokenDeployment(String address, boolean deployed) {}

  /**
   * Has the keeper deploy the token of {@code ticker} on {@code chainId} if it is missing; asking
   * again while the deployment is under way, or after, does nothing more.
   *
   * @throws IllegalArgumentException if the chain has no order book this daemon keeps
   */
  TokenDeployment ensureDeployed(long chainId, String ticker);

  /**
   * An order's fees and gas as the order book's {@code Terms} take them, fixed at creation.
   *
   * @param platformFeeBps the platform fee on the notional, basis points (0-10,000)
   * @param developerFeeBps the developer fee on the notional, basis points (0 when none)
   * @param developerFeeRecipient where the developer fee accrues (required when it is above 0)
   * @param gasSponsor who pays the settle's gas
   * @param maxGas most the settle's gas may cost, stablecoin base units (1e-6 USD)
   */
  record OrderTerms(
      int platformFeeBps,
      int developerFeeBps,
      Optional<String> developerFeeRecipient,
      GasSponsor gasSponsor,
      BigInteger maxGas) {
    /**
     * {@code ceil(amount * bps / 10,000)}: how the order book rounds every fee (up, its favour).
     */
    public static BigInteger feeOf(BigInteger amount, int bps) {
      return dev.lockstep.indexer.model.FeeMath.feeOf(amount, bps);
    }

    /**
     * A mint's stablecoin lock as {@code OrderBook.mintLockOf} computes it: {@code maxNotional}
     * plus both fees on it, plus the gas cap when the user's notional pays gas.
     */
    public BigInteger mintLock(BigInteger maxNotional) {
      BigInteger gas = gasSponsor == GasSponsor.USER_NOTIONAL ? maxGas : BigInteger.ZERO;
      return maxNotional
          .add(feeOf(maxNotional, platformFeeBps))
          .add(feeOf(maxNotional, developerFeeBps))
          .add(gas);
    }

    /** The gas deposit the book takes at creation: the gas cap when the developer sponsors gas. */
    public BigInteger gasDeposit() {
      return gasSponsor == GasSponsor.DEVELOPER ? maxGas : BigInteger.ZERO;
    }
  }

  /**
   * An order to place from a tenant's settlement wallet (reference platform-docs "Mint", "Redeem").
   *
   * @param key identifies the placement: the same key places one order however often it is asked
   * @param asset the asset's ticker
   * @param assetToken the asset's token address, required for a redeem (a mint's token may not
   *     exist yet)
   * @param quantity asset base units (1e-6 share), above 0
   * @param currency the stablecoin paid in (mint) or out (redeem), its token address on the chain
   * @param notionalBound a mint's maximum notional (gross + broker costs), a redeem's minimum net
   *     payout, stablecoin base units, above 0
   * @param destination where the minted tokens or the payout go
   * @param condition a limit order's price and lifetime ({@code OrderBook.createRedeemLimit} /
   *     {@code createMintLimit}), a trigger sell's ({@code createRedeemTrigger}) or an OCO pair's
   *     ({@code createRedeemOco}); empty for a market order
   */
  record PlaceOrder(
      String key,
      String tenantId,
      OrderSide side,
      long chainId,
      String asset,
      Optional<String> assetToken,
      BigInteger quantity,
      String currency,
      BigInteger notionalBound,
      String destination,
      OrderTerms terms,
      Optional<SignedIntent> intent,
      Optional<OrderCondition> condition) {}

  /**
   * A price condition on an order (reference redeem-flow "Limit and trigger sells"); each has a
   * last second it may settle, after which the keeper cancels it and everything it locked goes
   * back.
   */
  sealed interface OrderCondition permits OrderLimit, OrderTrigger, OrderOco {
    /** The last second the order may trigger or settle on chain. */
    java.time.Instant goodTill();
  }

  /**
   * A limit order's bound and lifetime.
   *
   * @param price stablecoin base units per whole share: a redeem settles at or above it, a mint at
   *     or below it, as the broker's attested fill shows
   * @param goodTill the last second it may settle; the keeper cancels it after
   */
  record OrderLimit(BigInteger price, java.time.Instant goodTill) implements OrderCondition {}

  /**
   * A trigger sell: created armed; the keeper triggers it when the asset's 30 s TWAP reaches {@code
   * price} (at or below for a stop-loss, at or above for a take-profit).
   *
   * @param price stablecoin base units per whole share
   */
  record OrderTrigger(
      dev.lockstep.indexer.model.TriggerKind kind, BigInteger price, java.time.Instant goodTill)
      implements OrderCondition {}

  /**
   * An OCO pair of trigger sells over one lock: a stop-loss at {@code stopPrice} and a take-profit
   * at {@code takeProfitPrice} (above it); the first to trigger cancels the other on chain. The
   * placement's order id is the stop-loss leg's; the take-profit leg's is the next.
   *
   * @param stopPrice stablecoin base units per whole share
   * @param takeProfitPrice stablecoin base units per whole share, above {@code stopPrice}
   */
  record OrderOco(BigInteger stopPrice, BigInteger takeProfitPrice, java.time.Instant goodTill)
      implements OrderCondition {}

  /**
   * A holder's EIP-712 {@code OrderIntent} for {@code OrderBook.createWithIntent}, the other fields
   * of the order being those of the {@link PlaceOrder} it rides on: the settlement wallet relays it
   * (and pays the transaction's gas and, with the developer gas sponsor, the deposit); the order
   * belongs to {@code owner}, and locks the owner's tokens or stablecoin.
   *
   * @param owner the holder, lowercase 0x address
   * @param nonce the owner's order-book nonce the intent was signed with
   * @param deadline last unix second the intent may be submitted
   * @param signature the owner's signature over the intent, 0x-hex (65 bytes for an EOA)
   * @param permit the owner's EIP-2612 permit of the locked token, if given
   */
  record SignedIntent(
      String owner, BigInteger nonce, long deadline, String signature, Optional<Permit> permit) {}

  /**
   * An EIP-2612 permit signature ({@code v}, {@code r}, {@code s}) for {@code value} until {@code
   * deadline}.
   */
  record Permit(BigInteger value, long deadline, int v, String r, String s) {}

  /**
   * What a holder signs over on chain {@code chainId}: the order book's address (the intent's
   * verifying contract) and its next nonce for the owner; the locked token's EIP-2612 domain name
   * and the owner's permit nonce there.
   */
  record SigningState(
      String orderBook, BigInteger intentNonce, String tokenName, BigInteger permitNonce) {}

  /**
   * The signing state of {@code owner} for an order that locks {@code lockedToken}, read at the
   * chain's latest block.
   *
   * @throws IllegalStateException if the chain cannot be read or has no order book
   */
  SigningState signingState(long chainId, String owner, String lockedToken);

  /**
   * Has the keeper pay {@code recipient} its developer fees held in the order book's escrow on
   * {@code chainId} in {@code currency} ({@code OrderBook.sweepDeveloperFees}, the whole escrow),
   * once per {@code sweepId}: asking again with the same id, on any daemon, pays nothing more.
   *
   * @return the sweep's idempotency key
   * @throws IllegalArgumentException if the chain has no order book this daemon keeps
   */
  String sweepFees(long chainId, String recipient, String currency, String sweepId);

  /** Where a placement stands. */
  sealed interface Placement {
    /** The order exists on chain: created by {@code txHash} as on-chain order {@code orderId}. */
    record Placed(long orderId, String txHash) implements Placement {}

    /** Still on its way (an approval or the create transaction not mined yet). */
    record Pending(Optional<String> txHash) implements Placement {}

    /**
     * The order book refused it: {@code error} is the custom error's name (or the engine's reason),
     * {@code detail} the words. Nothing was taken from the wallet.
     */
    record Refused(String error, String detail) implements Placement {}

    /**
     * The order would breach one of the book's per-block guardrails (reference platform-docs
     * "Per-block guardrails"), read at the chain's latest block; nothing was sent.
     *
     * @param limit the breaker, as the reference names it ({@code mint_max_total_per_block}, ...)
     * @param limitValue its cap (or floor), stablecoin base units
     * @param currentValue what the window would hold with this order (or the order's own bound, for
     *     the dust floor), stablecoin base units
     * @param retryAfterSeconds when a retry may pass (0: it never will as it stands)
     */
    record Guarded(
        String limit, BigInteger limitValue, BigInteger currentValue, long retryAfterSeconds)
        implements Placement {}

    /**
     * The wallet holds less of {@code token} than the order locks (balance at the chain's latest
     * block); nothing was sent.
     *
     * @param required base units the order needs
     * @param available base units the wallet holds
     */
    record Short(String token, BigInteger required, BigInteger available) implements Placement {}
  }

  /**
   * Places {@code order} from the tenant's settlement wallet: approves the order book for the
   * stablecoin or token the order locks when the wallet has not yet, then sends the order's create
   * transaction, exactly once per {@code order.key()}; waits up to {@code wait} for it to be mined.
   * Asking again with the same key continues the same placement.
   *
   * @throws IllegalArgumentException if the chain has no order book this daemon keeps
   * @throws IllegalStateException if this daemon holds no settlement wallets
   */
  Placement place(PlaceOrder order, Duration wait);

  /** Where an order's broker leg stands. */
  enum LegState {
    /** Routed to the broker, not filled yet. */
    ROUTED,
    /** The broker filled it; the settle is under way (or waits for payout liquidity). */
    FILLED,
    /** The broker rejected it; the order is cancelled on chain and refunded. */
    FAILED,
    /** Cancelled on request before it filled. */
    CANCELLED
  }

  /**
   * An order's broker leg.
   *
   * @param failureReason the broker's words, for a {@link LegState#FAILED} leg
   * @param clearsAt for a {@link LegState#FILLED} leg: when the execution clears on the venue's
   *     cycle (T+1, T+2, monthly), after which the order settles on chain
   */
  record BrokerProgress(
      LegState state, Optional<String> failureReason, Optional<java.time.Instant> clearsAt) {}

  /**
   * A broker fill of an order (the {@code filled} step of its lifecycle).
   *
   * @param grossNotional the fill's gross notional, stablecoin base units
   * @param filledAt when the fill was recorded
   */
  record Fill(long chainId, long orderId, BigInteger grossNotional, java.time.Instant filledAt) {}

  /**
   * Fills recorded at or after {@code from} and before {@code to}, oldest first (then by chain and
   * order), at most {@code limit}: the source of {@code mint.filled} / {@code redeem.filled}. A
   * broker that cannot list its fills answers none.
   */
  List<Fill> fills(java.time.Instant from, java.time.Instant to, int limit);

  /** The broker legs of the given orders on {@code chainId}, for those that have one. */
  java.util.Map<Long, BrokerProgress> progress(long chainId, java.util.Collection<Long> orderIds);

  /**
   * What the settle of an order on {@code chainId} is expected to cost in gas, in stablecoin base
   * units (1e-6 USD), at the chain's current fees: the quote's {@code estimated_gas_usdc}. Zero
   * when the chain's fees cannot be read.
   *
   * @param relayed the order is a holder's signed one that a settlement wallet relays ({@code
   *     OrderBook.createWithIntent} with a permit): the estimate also counts the relay, which the
   *     settle charges back under the {@code user_notional} sponsor, within the {@code max_gas} the
   *     holder signed
   */
  BigInteger settleGasEstimate(long chainId, OrderSide side, boolean relayed);
}
