package dev.lockstep.keeper.wallet;

import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.keeper.tx.Intent;
import dev.lockstep.keeper.tx.IntentStatus;
import dev.lockstep.keeper.tx.OrderBookCalls;
import dev.lockstep.keeper.tx.TxAction;
import dev.lockstep.keeper.tx.TxEngine;
import dev.lockstep.keeper.tx.TxSigner;
import dev.lockstep.ports.OrderDesk;
import dev.lockstep.ports.OrderDesk.PlaceOrder;
import dev.lockstep.ports.OrderDesk.Placement;
import java.io.IOException;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Orders placed from the tenants' settlement wallets, each wallet sending its own transactions
 * through a {@link TxEngine} of its own (signer: the wallet's derived key), so they are mined
 * exactly once with the engine's nonce leases, fee bumps and reorg handling.
 *
 * <p>A placement (one {@link PlaceOrder#key()}) first makes sure the order book may pull what the
 * order locks: when the wallet's ERC-20 allowance is short it sends {@code approve(orderBook,
 * 2^256-1)} (intent {@code approve:<chain>:<wallet>:<token>:<generation>}) and waits for it to be
 * confirmed, since the engine simulates every call before it signs it and the create call would
 * revert against an unapproved allowance. Then it sends the create call (intent {@code
 * create:<key>}) and waits for its receipt, whose {@code OrderCreated} log names the on-chain
 * order. Every wait looks at the stored intents when a pump round of this daemon ends (and at least
 * every 250 ms), so the round that sends may also run in another daemon.
 *
 * <p>{@link #pump} runs in the chain's keeper round: it pumps the engines of the wallets that have
 * intents the engine still acts on or watches (open, or changed within {@link #WATCH}).
 * Thread-safe.
 */
public final class WalletOrders implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WalletOrders.class);

  /** How long after an intent's last change its wallet's engine keeps being pumped. */
  static final Duration WATCH = Duration.ofMinutes(30);

  private static final BigInteger MAX_ALLOWANCE = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

  /**
   * Longest a waiting placement sleeps between looks at its intent: it is woken as soon as a pump
   * round of this daemon ends, so this only bounds how late it sees a round run by another daemon.
   */
  private static final Duration POLL = Duration.ofMillis(250);

  /** Notified after every pump round, so waiting placements look at their intents then. */
  private final Object rounds = new Object();

  /** An order book the wallets place orders on, and the node to read allowances and receipts. */
  public record Book(String orderBook, Web3j web3j) {}

  private final DerivedSettlementWallets wallets;
  private final Jdbi jdbi;
  private final Map<Long, Book> books;
  private final BiFunction<Long, TxSigner, TxEngine> engineFactory;
  private final LongConsumer wake;
  private final Clock clock;
  private final Map<String, TxEngine> engines = new ConcurrentHashMap<>();

  /**
   * @param books per chain id
   * @param engineFactory a wallet's engine on a chain, allowed to approve the chain's order book
   *     and call its create functions
   * @param wake asks for the chain's keeper round now
   */
  public WalletOrders(
      DerivedSettlementWallets wallets,
      Jdbi jdbi,
      Map<Long, Book> books,
      BiFunction<Long, TxSigner, TxEngine> engineFactory,
      LongConsumer wake,
      Clock clock) {
    this.wallets = wallets;
    this.jdbi = jdbi;
    this.books = Map.copyOf(books);
    this.engineFactory = engineFactory;
    this.wake = wake;
    this.clock = clock;
  }

  /** See {@link dev.lockstep.ports.OrderDesk#place}. */
  public Placement place(PlaceOrder o, Duration wait) {
    Book book = books.get(o.chainId());
    if (book == null) {
      throw new IllegalArgumentException("no order book kept on chain " + o.chainId());
    }
    Instant deadline = clock.instant().plus(wait);
    String wallet = wallets.ensureFunded(o.tenantId());
    TxEngine engine = engine(o.chainId(), o.tenantId());
    String createKey = "create:" + o.key();
    Optional<Intent> created = engine.intent(createKey);
    if (created.isEmpty()) {
      // A relayed intent locks the holder's tokens (through its permit or allowance, which the
      // engine's simulation checks); only the developer gas deposit is the settlement wallet's.
      boolean relayed = o.intent().isPresent();
      String payer = o.intent().map(OrderDesk.SignedIntent::owner).orElse(wallet);
      Optional<Placement.Guarded> guarded = guardrails(book, o, payer);
      if (guarded.isPresent()) {
        return guarded.get();
      }
      Map<String, BigInteger> fromPayer = relayed ? locked(o) : spends(o);
      for (Map.Entry<String, BigInteger> lock : fromPayer.entrySet()) {
        BigInteger held =
            erc20(book, lock.getKey(), "balanceOf", List.of(new Address(payer)), payer);
        if (held.compareTo(lock.getValue()) < 0) {
          return new Placement.Short(lock.getKey(), lock.getValue(), held);
        }
      }
      Map<String, BigInteger> fromWallet = relayed ? deposit(o) : spends(o);
      for (Map.Entry<String, BigInteger> spend : fromWallet.entrySet()) {
        Optional<Placement> blocked =
            approved(book, engine, o.chainId(), wallet, spend.getKey(), spend.getValue(), deadline);
        if (blocked.isPresent()) {
          return blocked.get();
        }
      }
      engine.submit(
          createKey,
          book.orderBook(),
          relayed ? OrderBookCalls.createWithIntent(o) : OrderBookCalls.create(o),
          TxAction.CREATE_ORDER,
          OptionalLong.empty());
      wake.accept(o.chainId());
    }
    Intent i = await(engine, createKey, deadline, false);
    return switch (i.status()) {
      case MINED, CONFIRMED -> placed(book, i);
      case REVERTED, DONE_BY_OTHER, FAILED ->
          i.outcome()
              .flatMap(out -> Guardrails.fromRevert(out, blockSeconds(o.chainId())))
              .<Placement>map(g -> g)
              .orElseGet(
                  () ->
                      new Placement.Refused(
                          i.revertError().orElse(i.status().dbValue()),
                          i.outcome().orElse("the create transaction " + i.status().dbValue())));
      case QUEUED, SUBMITTED -> new Placement.Pending(i.minedTxHash());
    };
  }

  /**
   * What the order locks from its owner at creation: a mint's stablecoin lock, a redeem's tokens.
   */
  private static Map<String, BigInteger> locked(PlaceOrder o) {
    return o.side() == OrderSide.MINT
        ? Map.of(o.currency(), o.terms().mintLock(o.notionalBound()))
        : Map.of(o.assetToken().orElseThrow(), o.quantity());
  }

  /**
   * The order's gas deposit (developer sponsor), which its submitter pays: none, or the currency's.
   */
  private static Map<String, BigInteger> deposit(PlaceOrder o) {
    BigInteger d = o.terms().gasDeposit();
    return d.signum() > 0 ? Map.of(o.currency(), d) : Map.of();
  }

  /**
   * What {@code owner} signs over on the chain: see {@link
   * dev.lockstep.ports.OrderDesk#signingState}.
   */
  public OrderDesk.SigningState signingState(long chainId, String owner, String lockedToken) {
    Book book = books.get(chainId);
    if (book == null) {
      throw new IllegalStateException("no order book kept on chain " + chainId);
    }
    BigInteger intentNonce =
        erc20(book, book.orderBook(), "nonces", List.of(new Address(owner)), owner);
    BigInteger permitNonce = erc20(book, lockedToken, "nonces", List.of(new Address(owner)), owner);
    Function name =
        new Function(
            "name", List.of(), List.of(new TypeReference<org.web3j.abi.datatypes.Utf8String>() {}));
    try {
      var answer =
          book.web3j()
              .ethCall(
                  Transaction.createEthCallTransaction(
                      owner, lockedToken, FunctionEncoder.encode(name)),
                  DefaultBlockParameterName.LATEST)
              .send();
      if (answer.hasError()) {
        throw new IllegalStateException(
            "name of " + lockedToken + ": " + answer.getError().getMessage());
      }
      var values = FunctionReturnDecoder.decode(answer.getValue(), name.getOutputParameters());
      return new OrderDesk.SigningState(
          book.orderBook(), intentNonce, (String) values.getFirst().getValue(), permitNonce);
    } catch (IOException e) {
      throw new IllegalStateException("name of " + lockedToken + ": " + e.getMessage(), e);
    }
  }

  /** What the order book pulls from the wallet at creation, per token address. */
  private static Map<String, BigInteger> spends(PlaceOrder o) {
    Map<String, BigInteger> spend = new LinkedHashMap<>(locked(o));
    deposit(o).forEach((token, amount) -> spend.merge(token, amount, BigInteger::add));
    return spend;
  }

  /**
   * Makes sure the wallet's allowance of {@code token} to the book covers {@code needed}; empty
   * when it does, else what the placement answers meanwhile.
   */
  private Optional<Placement> approved(
      Book book,
      TxEngine engine,
      long chainId,
      String wallet,
      String token,
      BigInteger needed,
      Instant deadline) {
    if (allowance(book, token, wallet).compareTo(needed) >= 0) {
      return Optional.empty();
    }
    String base = "approve:" + chainId + ":" + wallet + ":" + token.toLowerCase(Locale.ROOT);
    for (int generation = 1; ; generation++) {
      String key = base + ":" + generation;
      Optional<Intent> earlier = engine.intent(key);
      if (earlier.isPresent() && earlier.get().closed()) {
        continue; // that approval is done (spent since, or failed): the next generation
      }
      if (earlier.isEmpty()) {
        engine.submit(
            key,
            token,
            OrderBookCalls.approve(book.orderBook(), MAX_ALLOWANCE),
            TxAction.APPROVE,
            OptionalLong.empty());
        wake.accept(chainId);
      }
      Intent i = await(engine, key, deadline, true);
      if (i.status() == IntentStatus.CONFIRMED) {
        return Optional.empty();
      }
      if (i.status().isOpen()) {
        return Optional.of(new Placement.Pending(i.minedTxHash()));
      }
      return Optional.of(
          new Placement.Refused(
              i.revertError().orElse("approval_" + i.status().dbValue()),
              "the wallet's approval of the order book "
                  + i.status().dbValue()
                  + i.outcome().map(r -> ": " + r).orElse("")));
    }
  }

  /**
   * Polls the intent until the deadline: until it is closed ({@code untilClosed}) or has a receipt
   * or is closed.
   */
  private Intent await(TxEngine engine, String key, Instant deadline, boolean untilClosed) {
    while (true) {
      Intent i = engine.intent(key).orElseThrow();
      boolean done = i.closed() || (!untilClosed && i.status() == IntentStatus.MINED);
      if (done || !clock.instant().isBefore(deadline)) {
        return i;
      }
      try {
        synchronized (rounds) {
          rounds.wait(POLL.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return i;
      }
    }
  }

  private Placement placed(Book book, Intent i) {
    String hash = i.minedTxHash().orElseThrow();
    try {
      Optional<TransactionReceipt> receipt =
          book.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt();
      OptionalLong order =
          receipt
              .map(r -> OrderBookCalls.createdOrder(r, book.orderBook()))
              .orElse(OptionalLong.empty());
      if (order.isEmpty()) {
        return new Placement.Pending(Optional.of(hash)); // the receipt moved (reorg): mined again
      }
      return new Placement.Placed(order.getAsLong(), hash);
    } catch (IOException e) {
      log.warn("reading the receipt of {}: {}", hash, e.getMessage());
      return new Placement.Pending(Optional.of(hash));
    }
  }

  private BigInteger allowance(Book book, String token, String owner) {
    return erc20(
        book,
        token,
        "allowance",
        List.of(new Address(owner), new Address(book.orderBook())),
        owner);
  }

  /** An ERC-20 view returning one uint256, at the latest block. */
  /** The breach of the book's guardrails {@code o} would cause, read at the latest block. */
  private Optional<Placement.Guarded> guardrails(Book book, PlaceOrder o, String owner) {
    var contract =
        dev.lockstep.contracts.generated.OrderBook.load(
            book.orderBook(),
            book.web3j(),
            new org.web3j.tx.ReadonlyTransactionManager(book.web3j(), owner),
            new org.web3j.tx.gas.DefaultGasProvider());
    try {
      return Guardrails.check(contract, o, owner, blockSeconds(o.chainId()), clock.instant());
    } catch (Exception e) {
      throw new IllegalStateException(
          "reading the guardrails of " + book.orderBook() + ": " + e.getMessage(), e);
    }
  }

  /** The chain's typical block time: 12 s on Ethereum, 2 s on the L2s. */
  private static long blockSeconds(long chainId) {
    return chainId == 1 ? 12 : 2;
  }

  private static BigInteger erc20(
      Book book, String token, String name, List<org.web3j.abi.datatypes.Type> args, String from) {
    Function f = new Function(name, args, List.of(new TypeReference<Uint256>() {}));
    try {
      var answer =
          book.web3j()
              .ethCall(
                  Transaction.createEthCallTransaction(from, token, FunctionEncoder.encode(f)),
                  DefaultBlockParameterName.LATEST)
              .send();
      if (answer.hasError()) {
        throw new IllegalStateException(
            "allowance of " + token + ": " + answer.getError().getMessage());
      }
      var values = FunctionReturnDecoder.decode(answer.getValue(), f.getOutputParameters());
      return values.isEmpty() ? BigInteger.ZERO : (BigInteger) values.getFirst().getValue();
    } catch (IOException e) {
      throw new IllegalStateException(name + " of " + token + ": " + e.getMessage(), e);
    }
  }

  private TxEngine engine(long chainId, String tenantId) {
    return engines.computeIfAbsent(
        chainId + "|" + tenantId, k -> engineFactory.apply(chainId, wallets.signerOf(tenantId)));
  }

  /**
   * Pumps the engines of the settlement wallets with intents on {@code chainId} that are open or
   * changed within {@link #WATCH}; one wallet's failure is logged and the others still pumped.
   */
  public void pump(long chainId) {
    if (!wallets.configured()) {
      return;
    }
    List<String> tenants = busyTenants(chainId);
    // Each wallet's engine is independent (its own signer, nonces and lease): pumped side by side.
    List<java.util.concurrent.Callable<Void>> walletRounds = new java.util.ArrayList<>();
    for (String tenant : tenants) {
      walletRounds.add(
          () -> {
            try {
              engine(chainId, tenant).pump();
            } catch (RuntimeException e) {
              log.warn("settlement wallet of {} on chain {}: {}", tenant, chainId, e.getMessage());
            }
            return null;
          });
    }
    try {
      pumps.invokeAll(walletRounds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (rounds) {
      rounds.notifyAll();
    }
  }

  /**
   * Stops pumping and releases the nonce leases this daemon holds for the wallets, so another
   * daemon carries on at once rather than after the lease's ttl.
   */
  @Override
  public void close() {
    pumps.shutdownNow();
    engines.values().forEach(TxEngine::release);
  }

  /** Threads pumping the wallets' engines of a round side by side. */
  private static final int PUMP_THREADS = 8;

  private final java.util.concurrent.ExecutorService pumps =
      java.util.concurrent.Executors.newFixedThreadPool(
          PUMP_THREADS,
          r -> {
            Thread t = new Thread(r, "settlement-wallet-pump");
            t.setDaemon(true);
            return t;
          });

  private List<String> busyTenants(long chainId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    """
            SELECT w.tenant_id FROM keeper.settlement_wallets w
            WHERE w.mode = :m AND EXISTS (
              SELECT 1 FROM keeper.tx_intents i
              WHERE i.chain_id = :c AND i.signer = w.address
                AND (i.status IN ('queued', 'submitted', 'mined') OR i.updated_at > :since))""")
                .bind("m", wallets.modeValue())
                .bind("c", chainId)
                .bind("since", Timestamp.from(clock.instant().minus(WATCH)))
                .mapTo(String.class)
                .list());
  }
}
