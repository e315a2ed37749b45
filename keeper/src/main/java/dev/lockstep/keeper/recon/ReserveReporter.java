package dev.lockstep.keeper.recon;

import dev.lockstep.contracts.ReserveReport;
import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.contracts.generated.ReserveFeed;
import dev.lockstep.keeper.broker.PrimeBroker;
import dev.lockstep.keeper.tx.Intent;
import dev.lockstep.keeper.tx.IntentStatus;
import dev.lockstep.keeper.tx.TxAction;
import dev.lockstep.keeper.tx.TxEngine;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Keeps each token's proof-of-reserve feed ({@code ReserveFeed}, the Chainlink Secure Mint pattern)
 * current: relays the broker's signed custody ({@link PrimeBroker#reserveReport}) through {@code
 * AssetTokenFactory.reportReserve}, sent by the keeper's key, which only relays (the feed takes an
 * answer only against the broker's reserve attester's signature).
 *
 * <p>A report goes out:
 *
 * <ul>
 *   <li>after each daily reconciliation run, with the custody at the run's cut-off, for every token
 *       whose feed has nothing as recent ({@link #afterRun});
 *   <li>before the mint settles of a keeper round that the feed's latest answer would refuse (the
 *       supply after them above it) or that is older than half the factory's {@code maxReserveAge}
 *       (the factory refuses every mint once it is older than that): settles the feed refuses wait
 *       until a report covering them is mined ({@link #holdMints});
 *   <li>after a token's first mint deployed it (its feed has no round yet).
 * </ul>
 *
 * Each report is an intent of the keeper's engine keyed {@code
 * reserve:<chain>:<symbol>:<round>:<asOf>}; a report another daemon relayed first for the same
 * round reverts in simulation and is never broadcast. One report per token is in flight at a time
 * per daemon, and a token is reported again at most every {@link #MIN_INTERVAL}.
 */
public final class ReserveReporter {
  private static final Logger log = LoggerFactory.getLogger(ReserveReporter.class);

  /** Least time between two reports of one token by this daemon (but the daily run's). */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  /**
   * One chain: its node, its factory and the keeper's engine there.
   *
   * @param keeper the keeper key's engine (its policy allows the factory's {@code reportReserve})
   */
  public record Chain(long chainId, Web3j web3j, String factory, TxEngine keeper) {}

  /**
   * A token's feed as read at the chain's latest block.
   *
   * @param round the feed's latest round; 0 before its first report
   * @param answer the latest answer, shares in base units (0 before the first report)
   * @param updatedAt the latest answer's {@code asOf}, unix seconds (0 before the first report)
   * @param supply the token's {@code totalSupply}
   * @param maxAge the factory's {@code maxReserveAge}, seconds (0: no limit)
   * @param head the latest block's timestamp, unix seconds
   */
  public record FeedState(
      String token,
      String feed,
      long round,
      BigInteger answer,
      long updatedAt,
      BigInteger supply,
      long maxAge,
      long head) {

    /** Whether the factory refuses every mint now: the answer is older than its maximum age. */
    public boolean stale() {
      return round > 0 && maxAge > 0 && head > updatedAt + maxAge;
    }

    /** Whether the answer is past half its maximum age: time to refresh it. */
    boolean ageing() {
      return round > 0 && maxAge > 0 && head > updatedAt + maxAge / 2;
    }

    /** Whether the factory would refuse minting {@code quantity} more now. */
    public boolean refuses(BigInteger quantity) {
      return round > 0 && (stale() || supply.add(quantity).compareTo(answer) > 0);
    }
  }

  /** Why a report goes out. */
  private enum Why {
    FIRST_MINT("first mint"),
    MINT("mint"),
    /** Not throttled, and relayed even when the custody is what the feed says: it dates it. */
    DAILY_RECONCILIATION("daily reconciliation");

    final String text;

    Why(String text) {
      this.text = text;
    }
  }

  /**
   * Per chain and token: its address and its feed's, once it is deployed (CREATE2: they never
   * change), so a round reads only what moves.
   */
  private final Map<String, List<String>> addresses = new ConcurrentHashMap<>();

  private final Map<Long, Chain> chains;
  private final PrimeBroker broker;
  private final Clock clock;

  /** Per chain and token: the key of the last report this daemon sent. */
  private final Map<String, String> lastReport = new ConcurrentHashMap<>();

  /** Per chain and token: when it may be reported again. */
  private final Map<String, Instant> nextReport = new ConcurrentHashMap<>();

  /** Per chain: tokens whose first mint is being settled, reported once deployed. */
  private final Map<Long, Set<String>> awaitingDeploy = new ConcurrentHashMap<>();

  public ReserveReporter(List<Chain> chains, PrimeBroker broker, Clock clock) {
    Map<Long, Chain> byId = new TreeMap<>();
    chains.forEach(c -> byId.put(c.chainId(), c));
    this.chains = Map.copyOf(byId);
    this.broker = broker;
    this.clock = clock;
  }

  /**
   * Before a keeper round's mint settles on {@code chainId} ({@code settling}: quantity per asset
   * symbol, those sent and not yet mined included): relays a fresh report for each asset whose feed
   * would refuse them or is ageing (unless the broker's custody is what the feed already says), and
   * answers the assets whose settles must wait: those the feed refuses now, until a report that
   * covers them is mined (or redeems burn tokens: custody may lag the supply while a redeem is sold
   * but not yet settled). Settles are never sent into a refusal, where some would revert mined
   * behind others that took the headroom.
   */
  public Set<String> holdMints(long chainId, Map<String, BigInteger> settling) {
    Chain chain = chains.get(chainId);
    Set<String> held = new HashSet<>();
    if (chain == null || settling.isEmpty()) {
      return held;
    }
    settling.forEach(
        (symbol, quantity) -> {
          try {
            if (inFlight(chain, symbol)) {
              held.add(symbol);
              return;
            }
            Optional<FeedState> state = read(chain, symbol);
            if (state.isEmpty()) {
              // Its first mint deploys the token and its feed: reported right after.
              awaitingDeploy
                  .computeIfAbsent(chainId, k -> ConcurrentHashMap.newKeySet())
                  .add(symbol);
              return;
            }
            FeedState s = state.get();
            boolean refuses = s.refuses(quantity);
            boolean reported =
                (s.round() == 0 || s.ageing() || refuses)
                    && report(chain, symbol, s, now(s), Why.MINT);
            if (refuses) {
              // Sent now, a settle would revert (in simulation, or mined behind others that took
              // the headroom): it waits for a report that covers it, or for redeems to burn.
              held.add(symbol);
              if (!reported && !throttled(chainId, symbol)) {
                warnHeld(chainId, symbol, s, quantity);
              }
            }
          } catch (Exception e) {
            log.warn(
                "reserve chainId={} {}: reading the feed (mint settles go ahead): {}",
                chainId,
                symbol,
                e.toString());
          }
        });
    return held;
  }

  /** A keeper round's part: reports tokens whose first mint deployed them. */
  public void round(long chainId) {
    Chain chain = chains.get(chainId);
    Set<String> waiting = awaitingDeploy.get(chainId);
    if (chain == null || waiting == null || waiting.isEmpty()) {
      return;
    }
    for (String symbol : List.copyOf(waiting)) {
      try {
        Optional<FeedState> s = read(chain, symbol);
        if (s.isEmpty()) {
          continue; // not deployed yet
        }
        waiting.remove(symbol);
        if (s.get().round() == 0) {
          report(chain, symbol, s.get(), now(s.get()), Why.FIRST_MINT);
        }
      } catch (Exception e) {
        log.warn("reserve chainId={} {}: {}", chainId, symbol, e.toString());
      }
    }
  }

  /**
   * After the daily reconciliation of {@code chainId} with cut-off {@code cutoff}: publishes the
   * broker's custody at the cut-off for each of {@code symbols} whose feed has no answer as of the
   * cut-off or later.
   */
  public void afterRun(long chainId, Instant cutoff, Collection<String> symbols) {
    Chain chain = chains.get(chainId);
    if (chain == null) {
      return;
    }
    for (String symbol : symbols) {
      try {
        Optional<FeedState> s = read(chain, symbol);
        if (s.isPresent()
            && s.get().updatedAt() < cutoff.getEpochSecond()
            && !inFlight(chain, symbol)) {
          report(chain, symbol, s.get(), cutoff, Why.DAILY_RECONCILIATION);
        }
      } catch (Exception e) {
        log.warn(
            "reserve chainId={} {}: publishing the reconciled reserve: {}",
            chainId,
            symbol,
            e.toString());
      }
    }
  }

  /**
   * The time a report made now states: this daemon's clock (the broker's) rounded up to the second,
   * at least a second after the feed's latest answer. It may run ahead of the latest block (the
   * feed allows {@code MAX_CLOCK_SKEW}), which on a chain that mines on demand lags until the next
   * transaction.
   */
  private Instant now(FeedState s) {
    // Rounded up to the second the report is dated in, so it covers what happened this second.
    Instant t = clock.instant();
    long now = t.getEpochSecond() + (t.getNano() > 0 ? 1 : 0);
    return Instant.ofEpochSecond(Math.max(now, s.updatedAt() + 1));
  }

  private boolean throttled(long chainId, String symbol) {
    return clock.instant().isBefore(nextReport.getOrDefault(chainId + ":" + symbol, Instant.MIN));
  }

  /** Per chain and token: when a held settle was last warned about. */
  private final Map<String, Instant> warned = new ConcurrentHashMap<>();

  private void warnHeld(long chainId, String symbol, FeedState s, BigInteger quantity) {
    Instant now = clock.instant();
    String at = chainId + ":" + symbol;
    if (now.isBefore(warned.getOrDefault(at, Instant.MIN))) {
      return;
    }
    warned.put(at, now.plus(Duration.ofMinutes(1)));
    log.warn(
        "reserve chainId={} {}: mint settles of {} wait: the feed refuses them (supply {}, answer"
            + " {} as of {}, {}) and the broker has no newer custody to report",
        chainId,
        symbol,
        quantity,
        s.supply(),
        s.answer(),
        Instant.ofEpochSecond(s.updatedAt()),
        s.stale() ? "stale" : "fresh");
  }

  private boolean inFlight(Chain chain, String symbol) {
    String key = lastReport.get(chain.chainId() + ":" + symbol);
    if (key == null) {
      return false;
    }
    Optional<Intent> i = chain.keeper().intent(key);
    return i.isPresent()
        && (i.get().status() == IntentStatus.QUEUED || i.get().status() == IntentStatus.SUBMITTED);
  }

  /** Asks the broker for a report as of {@code asOf} and enqueues it; true if one was enqueued. */
  private boolean report(Chain chain, String symbol, FeedState s, Instant asOf, Why why) {
    String at = chain.chainId() + ":" + symbol;
    Instant now = clock.instant();
    boolean daily = why == Why.DAILY_RECONCILIATION;
    if (!daily && now.isBefore(nextReport.getOrDefault(at, Instant.MIN))) {
      return false;
    }
    Optional<ReserveReport> r =
        broker.reserveReport(chain.chainId(), symbol, s.token(), s.feed(), asOf, s.round() + 1);
    if (r.isEmpty()) {
      return false; // the broker attests no reserve: the feed keeps its answer
    }
    if (!daily && s.round() > 0 && !s.ageing() && r.get().shares().equals(s.answer())) {
      nextReport.put(at, now.plus(MIN_INTERVAL));
      return false; // no news: the custody is what the feed says
    }
    String key =
        "reserve:" + chain.chainId() + ":" + symbol + ":" + (s.round() + 1) + ":" + r.get().asOf();
    chain
        .keeper()
        .submit(
            key,
            chain.factory(),
            r.get().factoryCallData(symbol),
            TxAction.REPORT_RESERVE,
            OptionalLong.empty());
    lastReport.put(at, key);
    nextReport.put(at, now.plus(MIN_INTERVAL));
    log.info(
        "reserve chainId={} {}: relaying the broker's custody {} as of {} (round {}, {}; supply {},"
            + " last answer {})",
        chain.chainId(),
        symbol,
        r.get().shares(),
        asOf,
        s.round() + 1,
        why.text,
        s.supply(),
        s.answer());
    return true;
  }

  private Optional<FeedState> read(Chain chain, String symbol) throws Exception {
    Web3j web3j = chain.web3j();
    var tm = new ReadonlyTransactionManager(web3j, "0x" + "0".repeat(40));
    var gas = new DefaultGasProvider();
    AssetTokenFactory factory = AssetTokenFactory.load(chain.factory(), web3j, tm, gas);
    List<String> known = addresses.get(chain.chainId() + ":" + symbol);
    if (known == null) {
      String deployed = factory.tokenOf(symbol).send();
      if (deployed == null || new BigInteger(deployed.substring(2), 16).signum() == 0) {
        return Optional.empty();
      }
      known =
          List.of(
              deployed.toLowerCase(Locale.ROOT),
              factory.reserveFeedOf(symbol).send().toLowerCase(Locale.ROOT));
      addresses.put(chain.chainId() + ":" + symbol, known);
    }
    String token = known.get(0);
    String feed = known.get(1);
    var latest = ReserveFeed.load(feed, web3j, tm, gas).latestRoundData().send();
    BigInteger supply = AssetToken.load(token, web3j, tm, gas).totalSupply().send();
    long maxAge = factory.maxReserveAge().send().longValueExact();
    long head =
        web3j
            .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
            .send()
            .getBlock()
            .getTimestamp()
            .longValueExact();
    return Optional.of(
        new FeedState(
            token,
            feed,
            latest.component1().longValueExact(),
            latest.component2(),
            latest.component4().longValueExact(),
            supply,
            maxAge,
            head));
  }
}
