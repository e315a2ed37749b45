package dev.lockstep.keeper.recon;

import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.OrderStatus;
import dev.lockstep.indexer.model.StoredEnum;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.indexer.store.PayoutCurrencyRow;
import dev.lockstep.indexer.store.ReconReader;
import dev.lockstep.indexer.store.TokenRow;
import dev.lockstep.keeper.KeeperMetrics;
import dev.lockstep.keeper.broker.BrokerLeg;
import dev.lockstep.keeper.broker.LegStatus;
import dev.lockstep.keeper.broker.PrimeBroker;
import dev.lockstep.keeper.tx.TxAction;
import dev.lockstep.keeper.tx.TxEngine;
import dev.lockstep.ports.PriceFeed;
import dev.lockstep.ports.Reconciliation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The daily reconciliation (reference platform-docs "Reconciliation reports"): for every (token,
 * chain), the token's supply at the cut-off (the last block at or before 00:00 UTC after the
 * report's date, once it is past the chain's confirmations and indexed) plus what is in flight
 * (orders the broker had executed by then whose tokens were not minted or burnt yet), against the
 * broker's position at the cut-off ({@link PrimeBroker#positions}). A line whose diff is worth more
 * than the threshold ($100) at the asset's mark is a break: its minting on that chain is paused on
 * chain by the pauser's key ({@code AssetTokenFactory.setMintPaused}, never the keeper's), the API
 * refuses new mints with {@code mint_paused_reconciliation}, an ERROR line, the {@code
 * reconciliation.breaks} metric and a {@code reconciliation.break} event fire; redeems are never
 * paused. It stays paused until an operator clears it ({@link #clear}: audited), which resumes
 * minting.
 *
 * <p>Checks that need no broker run with it ({@link Reconciliation.Check}). A chain's run happens
 * in its first keeper round after 00:00 UTC (the keeper's Quartz job, clustered: one daemon per
 * chain at a time) and is written once ({@code keeper.recon_runs}), or on demand ({@link #run}).
 */
public final class DailyReconciliation implements Reconciliation {
  private static final Logger log = LoggerFactory.getLogger(DailyReconciliation.class);
  private static final String ZERO_ADDRESS = "0x" + "0".repeat(40);

  /** A diff worth more than this (USD) is a break. */
  public static final BigDecimal BREAK_THRESHOLD_USD = new BigDecimal("100");

  /**
   * One chain the daemon keeps.
   *
   * @param confirmations blocks the cut-off block must be below the head
   * @param pauser the pauser key's engine, if the daemon holds that key
   */
  public record Chain(
      long chainId,
      Web3j web3j,
      String orderBook,
      String factory,
      int confirmations,
      Optional<TxEngine> pauser) {}

  private final Map<Long, Chain> chains;
  private final Jdbi jdbi;
  private final IndexReader index;
  private final PrimeBroker broker;
  private final PriceFeed prices;
  private final KeeperMetrics metrics;
  private final Clock clock;
  private final ReserveReporter reserves;
  private final Map<Long, LocalDate> done = new ConcurrentHashMap<>();
  private final Map<Long, Instant> nextTry = new ConcurrentHashMap<>();
  private final Map<Long, Instant> nextSync = new ConcurrentHashMap<>();

  /**
   * Until when each chain's pauser engine is pumped: a while after start (what a previous run left
   * in flight) and after each pause or resume it is given, not in every keeper round forever.
   */
  private final Map<Long, Instant> pauserBusyUntil = new ConcurrentHashMap<>();

  /** How long a run waiting for its cut-off block waits before looking again. */
  static final java.time.Duration RETRY = java.time.Duration.ofSeconds(30);

  /** How often the breaks are looked at for pauses and resumes to send. */
  static final java.time.Duration SYNC_EVERY = java.time.Duration.ofSeconds(2);

  /** How long the pauser's engine is pumped after it was given a transaction. */
  static final java.time.Duration PAUSER_BUSY = java.time.Duration.ofMinutes(5);

  public DailyReconciliation(
      List<Chain> chains,
      Jdbi jdbi,
      IndexReader index,
      PrimeBroker broker,
      PriceFeed prices,
      KeeperMetrics metrics,
      ReserveReporter reserves,
      Clock clock) {
    this.reserves = reserves;
    Map<Long, Chain> byId = new TreeMap<>();
    chains.forEach(c -> byId.put(c.chainId(), c));
    this.chains = Map.copyOf(byId);
    this.jdbi = jdbi;
    this.index = index;
    this.broker = broker;
    this.prices = prices;
    this.metrics = metrics;
    this.clock = clock;
    for (long id : byId.keySet()) {
      metrics.openBreaks(id, () -> openBreakCount(id));
      pauserBusyUntil.put(id, clock.instant().plus(PAUSER_BUSY));
    }
  }

  /**
   * A keeper round's part on {@code chainId}: runs yesterday's reconciliation when due, pauses and
   * resumes minting as breaks open and clear, and pumps the pauser's engine.
   */
  public void round(long chainId) {
    Chain chain = chains.get(chainId);
    if (chain == null) {
      return;
    }
    reserves.round(chainId);
    Instant now = clock.instant();
    LocalDate yesterday = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1);
    if (!yesterday.equals(done.get(chainId))
        && !now.isBefore(nextTry.getOrDefault(chainId, Instant.MIN))) {
      if (runChain(chain, yesterday)) {
        done.put(chainId, yesterday);
      } else {
        // Not past its confirmations (or the chain unreadable): looked at again in a while, not
        // every keeper round.
        nextTry.put(chainId, now.plus(RETRY));
      }
    }
    if (!now.isBefore(nextSync.getOrDefault(chainId, Instant.MIN))) {
      nextSync.put(chainId, now.plus(SYNC_EVERY));
      syncPauses(chain);
    }
    if (now.isAfter(pauserBusyUntil.getOrDefault(chainId, Instant.MAX))) {
      return; // nothing for the pauser to send or follow
    }
    chain
        .pauser()
        .ifPresent(
            engine -> {
              try {
                engine.pump();
              } catch (RuntimeException e) {
                log.warn(
                    "reconciliation chainId={} pauser engine round: {}", chainId, e.toString());
              }
            });
  }

  @Override
  public Report run(LocalDate date) {
    for (Chain c : chains.values()) {
      runChain(c, date);
      syncPauses(c);
    }
    return daily(date);
  }

  /**
   * Reconciles {@code date} on {@code chain} unless it was; true once it is done (here or before),
   * false while its cut-off block is not yet past the chain's confirmations and indexed.
   */
  boolean runChain(Chain chain, LocalDate date) {
    long chainId = chain.chainId();
    if (ran(chainId, date)) {
      return true;
    }
    Instant cutoff = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    OptionalLong block;
    try {
      block = cutoffBlock(chain, cutoff);
    } catch (Exception e) {
      log.warn("reconciliation chainId={} {}: reading the chain: {}", chainId, date, e.toString());
      return false;
    }
    if (block.isEmpty()) {
      return false;
    }
    long b = block.getAsLong();
    long indexed = index.checkpoint(chainId).map(cp -> cp.blockNumber()).orElse(-1L);
    if (indexed < b) {
      return false; // the index has not reached the cut-off block yet
    }
    ReconReader recon = index.recon();
    Map<String, String> symbols = new HashMap<>();
    for (TokenRow t : index.tokens()) {
      if (t.chainId() == chainId) {
        symbols.put(t.address(), t.symbol());
      }
    }
    Map<String, BigInteger> supplyByToken = recon.supplyAt(chainId, b);
    Map<String, BigInteger> supply = new TreeMap<>();
    Map<String, String> addressOf = new HashMap<>();
    supplyByToken.forEach(
        (token, q) -> {
          String symbol = symbols.getOrDefault(token, token);
          supply.put(symbol, q);
          addressOf.put(symbol, token);
        });
    Map<String, BigInteger> position = broker.positions(chainId, cutoff);
    Map<String, BigInteger> mintsInFlight = new HashMap<>();
    Map<String, BigInteger> redeemsInFlight = new HashMap<>();
    List<OrderRow> open = recon.ordersOpenAt(chainId, cutoff);
    var executed =
        broker.executedBy(chainId, open.stream().map(OrderRow::orderId).toList(), cutoff);
    for (OrderRow o : open) {
      if (executed.contains(o.orderId())) {
        (o.side() == OrderSide.MINT ? mintsInFlight : redeemsInFlight)
            .merge(o.symbol(), o.quantity(), BigInteger::add);
      }
    }
    java.util.Set<String> tokens = new java.util.TreeSet<>(supply.keySet());
    tokens.addAll(position.keySet());
    Instant now = clock.instant();
    List<Line> lines = new ArrayList<>();
    for (String symbol : tokens) {
      BigInteger s = supply.getOrDefault(symbol, BigInteger.ZERO);
      BigInteger m = mintsInFlight.getOrDefault(symbol, BigInteger.ZERO);
      BigInteger r = redeemsInFlight.getOrDefault(symbol, BigInteger.ZERO);
      BigInteger p = position.getOrDefault(symbol, BigInteger.ZERO);
      BigInteger diff = s.add(m).subtract(r).subtract(p);
      Optional<BigDecimal> nav = prices.mark(symbol).map(PriceFeed.Mark::priceUsd);
      BigDecimal diffUsd =
          new BigDecimal(diff)
              .movePointLeft(6)
              .multiply(nav.orElse(BigDecimal.ZERO))
              .setScale(6, RoundingMode.HALF_EVEN);
      // Without a mark a diff cannot be valued: any diff is then a break.
      boolean broke =
          nav.isEmpty() ? diff.signum() != 0 : diffUsd.abs().compareTo(BREAK_THRESHOLD_USD) > 0;
      lines.add(
          new Line(
              symbol,
              chainId,
              addressOf.getOrDefault(symbol, ""),
              b,
              s,
              m,
              r,
              p,
              diff,
              nav.orElse(BigDecimal.ZERO).setScale(6, RoundingMode.HALF_EVEN),
              diffUsd,
              broke ? LineStatus.BREAK : LineStatus.MATCHED));
    }
    List<Check> checks = checks(chain, b, indexed, supplyByToken, symbols);
    List<Line> breaks = new ArrayList<>();
    boolean written =
        jdbi.inTransaction(
            h -> {
              int inserted =
                  h.createUpdate(
                          """
                          INSERT INTO keeper.recon_runs (report_date, chain_id, cutoff_block, generated_at)
                          VALUES (:d, :c, :b, :at) ON CONFLICT DO NOTHING""")
                      .bind("d", date)
                      .bind("c", chainId)
                      .bind("b", b)
                      .bind("at", Timestamp.from(now))
                      .execute();
              if (inserted == 0) {
                return false; // another daemon wrote it
              }
              for (Line l : lines) {
                insertLine(h, date, l, now);
                if (l.status() == LineStatus.BREAK) {
                  h.createUpdate(
                          """
                          INSERT INTO keeper.recon_breaks (report_date, chain_id, token, diff, diff_usdc, opened_at)
                          VALUES (:d, :c, :t, :diff, :usd, :at)""")
                      .bind("d", date)
                      .bind("c", chainId)
                      .bind("t", l.token())
                      .bind("diff", new BigDecimal(l.diff()))
                      .bind("usd", l.diffUsdc())
                      .bind("at", Timestamp.from(now))
                      .execute();
                  breaks.add(l);
                }
              }
              for (Check c : checks) {
                h.createUpdate(
                        """
                        INSERT INTO keeper.recon_checks (report_date, chain_id, name, subject, passed, detail)
                        VALUES (:d, :c, :n, :s, :p, :detail) ON CONFLICT DO NOTHING""")
                    .bind("d", date)
                    .bind("c", chainId)
                    .bind("n", c.name())
                    .bind("s", c.subject())
                    .bind("p", c.passed())
                    .bind("detail", c.detail())
                    .execute();
              }
              return true;
            });
    if (!written) {
      return true;
    }
    // Proof of reserve: the broker's custody at the cut-off, published on each token's feed.
    reserves.afterRun(chainId, cutoff, supply.keySet());
    for (Line l : breaks) {
      metrics.reconciliationBreak(chainId);
      log.error(
          "reconciliation BREAK {} chainId={} token={}: on-chain supply {} + in flight {} - {} vs"
              + " broker {}: diff {} ({} USD); minting paused until an operator clears it",
          date,
          chainId,
          l.token(),
          l.onchainSupply(),
          l.inFlightMints(),
          l.inFlightRedeems(),
          l.brokerPosition(),
          l.diff(),
          l.diffUsdc().toPlainString());
    }
    for (Check c : checks) {
      if (!c.passed()) {
        log.error(
            "reconciliation check failed {} chainId={} {} {}: {}",
            date,
            chainId,
            c.name(),
            c.subject(),
            c.detail());
      }
    }
    log.info(
        "reconciliation {} chainId={}: {} line(s), {} break(s), cut-off block {}",
        date,
        chainId,
        lines.size(),
        breaks.size(),
        b);
    return true;
  }

  private static void insertLine(Handle h, LocalDate date, Line l, Instant now) {
    h.createUpdate(
            """
            INSERT INTO keeper.recon_lines (report_date, chain_id, token, token_address, cutoff_block,
              onchain_supply, in_flight_mints, in_flight_redeems, broker_position, diff, nav_usdc, diff_usdc,
              status, generated_at)
            VALUES (:d, :c, :t, :a, :b, :s, :m, :r, :p, :diff, :nav, :usd, :st, :at)""")
        .bind("d", date)
        .bind("c", l.chainId())
        .bind("t", l.token())
        .bind("a", l.tokenAddress())
        .bind("b", l.cutoffBlock())
        .bind("s", new BigDecimal(l.onchainSupply()))
        .bind("m", new BigDecimal(l.inFlightMints()))
        .bind("r", new BigDecimal(l.inFlightRedeems()))
        .bind("p", new BigDecimal(l.brokerPosition()))
        .bind("diff", new BigDecimal(l.diff()))
        .bind("nav", l.navUsdc())
        .bind("usd", l.diffUsdc())
        .bind("st", l.status().dbValue())
        .bind("at", Timestamp.from(now))
        .execute();
  }

  /**
   * The last block at or before {@code cutoff}, once a later block exists and it is at least the
   * chain's confirmations below the head; empty until then; -1 when the chain began after the
   * cut-off (nothing existed on it: the run has no supply).
   */
  private static OptionalLong cutoffBlock(Chain chain, Instant cutoff) throws Exception {
    long head = chain.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    if (!timestamp(chain, head).isAfter(cutoff)) {
      return OptionalLong.empty(); // no block after the cut-off yet
    }
    long lo = 0;
    long hi = head; // invariant: ts(hi) > cutoff
    if (timestamp(chain, 0).isAfter(cutoff)) {
      return OptionalLong.of(-1); // the chain began after the cut-off: nothing existed on it then
    }
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (timestamp(chain, mid).isAfter(cutoff)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return head - lo >= chain.confirmations() ? OptionalLong.of(lo) : OptionalLong.empty();
  }

  private static Instant timestamp(Chain chain, long block) throws Exception {
    return Instant.ofEpochSecond(
        chain
            .web3j()
            .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(block)), false)
            .send()
            .getBlock()
            .getTimestamp()
            .longValueExact());
  }

  /**
   * The checks that need no broker (see {@link Reconciliation.Check}); {@code supplyAtCutoff} is
   * the indexed supply at {@code cutoffBlock} by token address.
   */
  private List<Check> checks(
      Chain chain,
      long cutoffBlock,
      long indexedBlock,
      Map<String, BigInteger> supplyAtCutoff,
      Map<String, String> symbols) {
    long chainId = chain.chainId();
    ReconReader recon = index.recon();
    List<Check> out = new ArrayList<>();
    // Indexed supply at the cut-off against the token's totalSupply there.
    supplyAtCutoff.forEach(
        (token, indexed) -> {
          String symbol = symbols.getOrDefault(token, token);
          try {
            AssetToken t =
                AssetToken.load(
                    token,
                    chain.web3j(),
                    new ReadonlyTransactionManager(chain.web3j(), ZERO_ADDRESS),
                    new DefaultGasProvider());
            t.setDefaultBlockParameter(
                DefaultBlockParameter.valueOf(BigInteger.valueOf(cutoffBlock)));
            BigInteger onChain = t.totalSupply().send();
            out.add(
                new Check(
                    chainId,
                    "supply_matches_chain",
                    symbol,
                    onChain.equals(indexed),
                    "indexed "
                        + indexed
                        + ", totalSupply "
                        + onChain
                        + " at block "
                        + cutoffBlock));
          } catch (Exception e) {
            out.add(
                new Check(
                    chainId,
                    "supply_matches_chain",
                    symbol,
                    false,
                    "totalSupply unreadable at block " + cutoffBlock + ": " + e.getMessage()));
          }
        });
    for (ReconReader.SupplyCheck s : recon.supplyChecks(chainId)) {
      out.add(
          new Check(
              chainId,
              "balances_sum_to_supply",
              s.symbol(),
              s.indexedSupply().equals(s.balancesSum()),
              "supply " + s.indexedSupply() + ", balances " + s.balancesSum()));
    }
    for (ReconReader.BookLock l : recon.bookLocks(chainId, chain.orderBook())) {
      out.add(
          new Check(
              chainId,
              "book_tokens_locked",
              l.symbol(),
              l.locked().equals(l.balance()),
              "open redeems lock " + l.locked() + ", the book holds " + l.balance()));
    }
    OrderBook book =
        OrderBook.load(
            chain.orderBook(),
            chain.web3j(),
            new ReadonlyTransactionManager(chain.web3j(), ZERO_ADDRESS),
            new DefaultGasProvider());
    book.setDefaultBlockParameter(DefaultBlockParameter.valueOf(BigInteger.valueOf(indexedBlock)));
    for (PayoutCurrencyRow c : index.payoutCurrencies(chainId)) {
      BigInteger ledger = recon.reservedByLedger(chainId, c.token());
      try {
        BigInteger onChain = book.reservedOf(c.token()).send();
        out.add(
            new Check(
                chainId,
                "book_reserved",
                c.symbol(),
                onChain.equals(ledger),
                "reservedOf " + onChain + ", the ledger's locks, deposits and escrow " + ledger));
      } catch (Exception e) {
        out.add(
            new Check(
                chainId,
                "book_reserved",
                c.symbol(),
                false,
                "reservedOf unreadable: " + e.getMessage()));
      }
    }
    // Orders the broker executed that were cancelled on chain: the underlying moved, the tokens or
    // the stablecoin came back (for example a redeem its owner cancelled after its leg filled).
    // The cancelled orders, then their legs, in one read each (not one order read per filled leg).
    List<OrderRow> cancelled = index.ordersByStatus(chainId, OrderStatus.CANCELLED, 100_000);
    Map<Long, BrokerLeg> legs =
        broker.legsOf(chainId, cancelled.stream().map(OrderRow::orderId).toList());
    for (OrderRow o : cancelled) {
      if (legs.containsKey(o.orderId()) && legs.get(o.orderId()).status() == LegStatus.FILLED) {
        out.add(
            new Check(
                chainId,
                "cancelled_after_fill",
                o.side().dbValue() + " " + o.orderId(),
                false,
                "the broker executed "
                    + o.quantity()
                    + " "
                    + o.symbol()
                    + " but the order was cancelled"
                    + o.cancelledBy().map(by -> " by " + by).orElse("")));
      }
    }
    return out;
  }

  /**
   * Sends the pauser's transactions the breaks call for: a pause for each open break not paused
   * yet, a resume for each (chain, token) whose breaks were all cleared and not resumed yet.
   */
  private void syncPauses(Chain chain) {
    long chainId = chain.chainId();
    if (chain.pauser().isEmpty()) {
      return;
    }
    TxEngine pauser = chain.pauser().get();
    jdbi.useHandle(
        h -> {
          for (var b :
              h.createQuery(
                      "SELECT report_date, token FROM keeper.recon_breaks WHERE chain_id = :c AND cleared_at IS NULL AND pause_intent IS NULL")
                  .bind("c", chainId)
                  .mapToMap()
                  .list()) {
            String token = (String) b.get("token");
            send(
                h,
                pauser,
                chain,
                token,
                true,
                "recon-pause:" + chainId + ":" + token + ":" + b.get("report_date"),
                "pause_intent = :k WHERE chain_id = :c AND token = :t AND report_date = :d",
                b.get("report_date"));
          }
          for (var b :
              h.createQuery(
                      """
                      SELECT token, max(seq) AS seq FROM keeper.recon_breaks r
                      WHERE chain_id = :c AND cleared_at IS NOT NULL AND clear_intent IS NULL
                        AND NOT EXISTS (SELECT 1 FROM keeper.recon_breaks o
                                        WHERE o.chain_id = r.chain_id AND o.token = r.token AND o.cleared_at IS NULL)
                      GROUP BY token""")
                  .bind("c", chainId)
                  .mapToMap()
                  .list()) {
            String token = (String) b.get("token");
            send(
                h,
                pauser,
                chain,
                token,
                false,
                "recon-resume:" + chainId + ":" + token + ":" + b.get("seq"),
                "clear_intent = :k WHERE chain_id = :c AND token = :t AND cleared_at IS NOT NULL"
                    + " AND clear_intent IS NULL",
                null);
          }
        });
  }

  /**
   * Enqueues the pauser's {@code setMintPaused(token, paused)} under {@code key} (one transaction
   * per key) and records the key on the breaks {@code assignment} names.
   */
  private void send(
      Handle h,
      TxEngine pauser,
      Chain chain,
      String token,
      boolean paused,
      String key,
      String assignment,
      Object reportDate) {
    pauser.submit(
        key,
        chain.factory(),
        setMintPaused(token, paused),
        TxAction.SET_MINT_PAUSED,
        OptionalLong.empty());
    pauserBusyUntil.put(chain.chainId(), clock.instant().plus(PAUSER_BUSY));
    var u =
        h.createUpdate("UPDATE keeper.recon_breaks SET " + assignment)
            .bind("k", key)
            .bind("c", chain.chainId())
            .bind("t", token);
    if (reportDate != null) {
      u.bind("d", reportDate);
    }
    u.execute();
  }

  /** {@code AssetTokenFactory.setMintPaused(symbol, paused)}. */
  public static String setMintPaused(String symbol, boolean paused) {
    return FunctionEncoder.encode(
        new Function(
            "setMintPaused", List.of(new Utf8String(symbol), new Bool(paused)), List.of()));
  }

  private boolean ran(long chainId, LocalDate date) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT 1 FROM keeper.recon_runs WHERE report_date = :d AND chain_id = :c")
                .bind("d", date)
                .bind("c", chainId)
                .mapTo(Integer.class)
                .findOne()
                .isPresent());
  }

  private long openBreakCount(long chainId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT count(DISTINCT token) FROM keeper.recon_breaks WHERE chain_id = :c AND cleared_at IS NULL")
                .bind("c", chainId)
                .mapTo(Long.class)
                .one());
  }

  @Override
  public Report daily(LocalDate date) {
    return jdbi.withHandle(
        h -> {
          List<Line> lines =
              h.createQuery(
                      "SELECT * FROM keeper.recon_lines WHERE report_date = :d ORDER BY token, chain_id")
                  .bind("d", date)
                  .map(
                      (rs, ctx) ->
                          new Line(
                              rs.getString("token"),
                              rs.getLong("chain_id"),
                              rs.getString("token_address"),
                              rs.getLong("cutoff_block"),
                              big(rs.getBigDecimal("onchain_supply")),
                              big(rs.getBigDecimal("in_flight_mints")),
                              big(rs.getBigDecimal("in_flight_redeems")),
                              big(rs.getBigDecimal("broker_position")),
                              big(rs.getBigDecimal("diff")),
                              rs.getBigDecimal("nav_usdc"),
                              rs.getBigDecimal("diff_usdc"),
                              StoredEnum.fromDb(LineStatus.class, rs.getString("status"))))
                  .list();
          List<Check> checks =
              h.createQuery(
                      "SELECT * FROM keeper.recon_checks WHERE report_date = :d ORDER BY chain_id, name, subject")
                  .bind("d", date)
                  .map(
                      (rs, ctx) ->
                          new Check(
                              rs.getLong("chain_id"),
                              rs.getString("name"),
                              rs.getString("subject"),
                              rs.getBoolean("passed"),
                              rs.getString("detail")))
                  .list();
          Map<Long, Instant> runs = new HashMap<>();
          h.createQuery(
                  "SELECT chain_id, generated_at FROM keeper.recon_runs WHERE report_date = :d")
              .bind("d", date)
              .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getTimestamp(2).toInstant()))
              .forEach(e -> runs.put(e.getKey(), e.getValue()));
          List<Long> pending =
              chains.keySet().stream().filter(id -> !runs.containsKey(id)).sorted().toList();
          ReportStatus status =
              !pending.isEmpty()
                  ? ReportStatus.PENDING
                  : lines.stream().anyMatch(l -> l.status() == LineStatus.BREAK)
                      ? ReportStatus.BREAK
                      : ReportStatus.MATCHED;
          Optional<Instant> generated = runs.values().stream().max(Instant::compareTo);
          return new Report(date, status, generated, lines, checks, pending);
        });
  }

  @Override
  public List<Break> breaksAfter(long seq, int limit) {
    return breaks("seq > " + seq + " ORDER BY seq LIMIT " + limit, Map.of());
  }

  @Override
  public Optional<Break> openBreak(long chainId, String token) {
    return breaks(
            "chain_id = :c AND token = :t AND cleared_at IS NULL ORDER BY seq",
            Map.of("c", chainId, "t", token))
        .stream()
        .findFirst();
  }

  @Override
  public List<Break> clear(long chainId, String token, String operator, String reason) {
    List<Break> cleared = recordClear(jdbi, chainId, token, operator, reason, clock.instant());
    Chain chain = chains.get(chainId);
    if (chain != null) {
      syncPauses(chain);
    }
    return cleared;
  }

  /**
   * Marks the open breaks of {@code token} on {@code chainId} cleared by {@code operator} for
   * {@code reason} at {@code at} (the audit); a running daemon's next keeper round resumes minting.
   * For the operator's command, which runs without the daemon's chains.
   *
   * @throws IllegalArgumentException if nothing is open there, or the operator or reason is blank
   */
  public static List<Break> recordClear(
      Jdbi jdbi, long chainId, String token, String operator, String reason, Instant at) {
    if (operator == null || operator.isBlank() || reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("clearing a break needs the operator and a reason");
    }
    List<Break> cleared =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        """
                        UPDATE keeper.recon_breaks SET cleared_at = :at, cleared_by = :by, clear_reason = :why
                        WHERE chain_id = :c AND token = :t AND cleared_at IS NULL RETURNING *""")
                    .bind("at", Timestamp.from(at))
                    .bind("by", operator)
                    .bind("why", reason)
                    .bind("c", chainId)
                    .bind("t", token)
                    .map((rs, ctx) -> breakOf(rs))
                    .list());
    if (cleared.isEmpty()) {
      throw new IllegalArgumentException(
          "no open reconciliation break of " + token + " on chain " + chainId);
    }
    log.warn(
        "reconciliation break of {} on chainId={} cleared by {}: {} (minting resumes)",
        token,
        chainId,
        operator,
        reason);
    return cleared;
  }

  private List<Break> breaks(String where, Map<String, ?> binds) {
    return jdbi.withHandle(
        h -> {
          var q = h.createQuery("SELECT * FROM keeper.recon_breaks WHERE " + where);
          binds.forEach(q::bind);
          return q.map((rs, ctx) -> breakOf(rs)).list();
        });
  }

  private static Break breakOf(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Break(
        rs.getLong("seq"),
        rs.getDate("report_date").toLocalDate(),
        rs.getLong("chain_id"),
        rs.getString("token"),
        big(rs.getBigDecimal("diff")),
        rs.getBigDecimal("diff_usdc"),
        rs.getTimestamp("opened_at").toInstant(),
        Optional.ofNullable(rs.getTimestamp("cleared_at")).map(Timestamp::toInstant),
        Optional.ofNullable(rs.getString("cleared_by")),
        Optional.ofNullable(rs.getString("clear_reason")));
  }

  private static BigInteger big(BigDecimal d) {
    return d.toBigIntegerExact();
  }
}
