package dev.lockstep.ports;

import dev.lockstep.indexer.model.StoredEnum;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The daily reconciliation of on-chain supply against the prime broker's books (reference
 * platform-docs "Reconciliation reports"; Security: "daily on-chain supply never exceeds custodied
 * underlying"), as the API and the operator's commands see it. Implemented by the keeper, wired by
 * the daemon. Thread-safe.
 */
public interface Reconciliation {
  /** A line's verdict. */
  enum LineStatus implements StoredEnum {
    /** The diff is worth at most the break threshold ($100). */
    MATCHED,
    /** The diff is worth more: minting of the token on the chain is paused until cleared. */
    BREAK
  }

  /** A report's verdict. */
  enum ReportStatus implements StoredEnum {
    /** Every line matched. */
    MATCHED,
    /** One or more lines broke. */
    BREAK,
    /** A chain's run has not happened yet (its cut-off block is not past its confirmations). */
    PENDING
  }

  /**
   * One (token, chain): amounts in the token's base units (1e-6 share).
   *
   * @param cutoffBlock the last block at or before the cut-off (00:00 UTC after {@code date})
   * @param onchainSupply the token's supply at that block
   * @param inFlightMints mints the broker had executed by the cut-off whose tokens were not minted
   *     yet
   * @param inFlightRedeems redeems the broker had executed whose tokens were not burnt yet
   * @param brokerPosition the broker-of-record's position at the cut-off
   * @param diff {@code onchainSupply + inFlightMints - inFlightRedeems - brokerPosition}: positive
   *     means tokens over-issued
   * @param navUsdc the asset's mark when the run priced it, USD per share
   * @param diffUsdc {@code diff} at NAV
   */
  record Line(
      String token,
      long chainId,
      String tokenAddress,
      long cutoffBlock,
      BigInteger onchainSupply,
      BigInteger inFlightMints,
      BigInteger inFlightRedeems,
      BigInteger brokerPosition,
      BigInteger diff,
      BigDecimal navUsdc,
      BigDecimal diffUsdc,
      LineStatus status) {}

  /**
   * A check of a chain's books that needs no broker.
   *
   * @param name {@code supply_matches_chain} (indexed supply at the cut-off equals the token's
   *     on-chain {@code totalSupply} there), {@code balances_sum_to_supply}, {@code
   *     book_tokens_locked} (the book's token balance equals what its open redeems lock), {@code
   *     book_reserved} (the book's {@code reservedOf} equals the open orders' locks, deposits and
   *     the fee escrow in the ledger), {@code cancelled_after_fill} (an order the broker executed
   *     but that was cancelled on chain: the underlying moved, the tokens came back)
   * @param subject the token, stablecoin or order it is about
   */
  record Check(long chainId, String name, String subject, boolean passed, String detail) {}

  /**
   * The report of {@code date}: every chain's lines and checks; {@code pending} chains have not run
   * yet.
   */
  record Report(
      LocalDate date,
      ReportStatus status,
      Optional<Instant> generatedAt,
      List<Line> lines,
      List<Check> checks,
      List<Long> pendingChains) {}

  /**
   * A break: the (chain, token) whose minting the reconciliation of {@code date} paused, until an
   * operator clears it.
   *
   * @param seq its place in the stream of breaks (for {@code reconciliation.break} events)
   * @param clearedBy the operator who cleared it, with {@code clearReason}
   */
  record Break(
      long seq,
      LocalDate date,
      long chainId,
      String token,
      BigInteger diff,
      BigDecimal diffUsdc,
      Instant openedAt,
      Optional<Instant> clearedAt,
      Optional<String> clearedBy,
      Optional<String> clearReason) {}

  /** The report of {@code date} as it stands. */
  Report daily(LocalDate date);

  /** Runs the reconciliation of {@code date} on every chain that has not run it (on demand). */
  Report run(LocalDate date);

  /** Breaks opened after {@code seq}, oldest first, at most {@code limit}. */
  List<Break> breaksAfter(long seq, int limit);

  /** The open (not cleared) break of {@code token} on {@code chainId}, if minting is paused. */
  Optional<Break> openBreak(long chainId, String token);

  /**
   * Clears the open breaks of {@code token} on {@code chainId}: minting resumes (the pauser's
   * transaction), and who cleared it, when and why is kept.
   *
   * @throws IllegalArgumentException if nothing is open there, or the operator or reason is blank
   */
  List<Break> clear(long chainId, String token, String operator, String reason);
}
