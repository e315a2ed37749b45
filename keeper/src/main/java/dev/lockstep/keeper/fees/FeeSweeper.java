package dev.lockstep.keeper.fees;

import dev.lockstep.indexer.store.LedgerReader;
import dev.lockstep.keeper.tx.OrderBookCalls;
import dev.lockstep.keeper.tx.TxAction;
import dev.lockstep.keeper.tx.TxEngine;
import java.math.BigInteger;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays developer fees out of an order book's escrow (reference platform-docs "Developer fees —
 * REST": settlement daily at 00:00 UTC, minimum $10, or on demand) through {@code
 * OrderBook.sweepDeveloperFees}, which pays a recipient its whole escrow in one currency.
 *
 * <p>Each sweep is an intent of the keeper's {@link TxEngine} under the key {@code
 * sweep:<chain>:<recipient>:<currency>:<sweep id>}: the engine sends at most one transaction per
 * key, across daemons and restarts, so the same sweep id never pays twice. The daily sweep's id is
 * {@code daily-<UTC date>}; it runs in the first keeper round of the chain after 00:00 UTC (the
 * keeper's Quartz job, clustered: one daemon at a time per chain) for every recipient whose escrow,
 * as the ledger books it, holds at least {@link #DAILY_MINIMUM}.
 */
public final class FeeSweeper {
  private static final Logger log = LoggerFactory.getLogger(FeeSweeper.class);

  /** The daily sweep's minimum per recipient and currency: 10 units of a 6-decimal stablecoin. */
  public static final BigInteger DAILY_MINIMUM = BigInteger.valueOf(10_000_000);

  private final long chainId;
  private final String orderBook;
  private final TxEngine engine;
  private final LedgerReader ledger;
  private final Clock clock;
  private volatile LocalDate sweptDay = LocalDate.MIN;

  public FeeSweeper(
      long chainId, String orderBook, TxEngine engine, LedgerReader ledger, Clock clock) {
    this.chainId = chainId;
    this.orderBook = orderBook;
    this.engine = engine;
    this.ledger = ledger;
    this.clock = clock;
  }

  /**
   * The daily sweep of the current UTC day, once per day and daemon (and once per key across them):
   * enqueues a sweep for every escrow of at least the minimum.
   *
   * @return how many sweeps it enqueued (0 when today's ran already)
   */
  public int daily() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!today.isAfter(sweptDay)) {
      return 0;
    }
    int n = 0;
    for (LedgerReader.Escrow e : ledger.escrows(chainId)) {
      if (e.balance().compareTo(DAILY_MINIMUM) >= 0) {
        sweep(engine, orderBook, chainId, e.recipient(), e.currency(), "daily-" + today);
        n++;
      }
    }
    if (n > 0) {
      log.info("keeper chainId={} daily fee sweep {}: {} recipient(s)", chainId, today, n);
    }
    sweptDay = today;
    return n;
  }

  /**
   * Enqueues the sweep {@code sweepId} of {@code recipient}'s escrow in {@code currency}: one
   * {@code sweepDeveloperFees} transaction at most, whoever asks again.
   *
   * @return the intent's idempotency key
   */
  public static String sweep(
      TxEngine engine,
      String orderBook,
      long chainId,
      String recipient,
      String currency,
      String sweepId) {
    String key =
        "sweep:"
            + chainId
            + ":"
            + recipient.toLowerCase()
            + ":"
            + currency.toLowerCase()
            + ":"
            + sweepId;
    engine.submit(
        key,
        orderBook,
        OrderBookCalls.sweepDeveloperFees(recipient, currency),
        TxAction.SWEEP_FEES,
        OptionalLong.empty());
    return key;
  }
}
