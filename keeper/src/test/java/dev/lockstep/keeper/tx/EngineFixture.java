package dev.lockstep.keeper.tx;

import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.devnet.AnvilNode;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.EmbeddedDatabase;
import dev.lockstep.indexer.store.SchemaMigrations;
import dev.lockstep.keeper.KeeperMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * One anvil chain with the contracts deployed, a fresh database with the keeper schema, and engines
 * for the keeper key. Orders are created by wallet 0 with the session open (ACTIVE).
 */
final class EngineFixture implements AutoCloseable {
  static final long CHAIN = 31337;

  final AnvilNode anvil;
  final ChainDeployment d;
  final Web3j web3j;
  final HikariDataSource ds;
  final TxStore store;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final KeeperMetrics metrics = new KeeperMetrics(registry);
  private final ContractGasProvider gas = ContractDeployer.devnetGas(CHAIN);

  EngineFixture(EmbeddedDatabase db, String name) {
    anvil = AnvilNode.start(CHAIN, Optional.empty());
    d = ContractDeployer.deploy(anvil.rpcUrl(), CHAIN, Duration.ofHours(1));
    web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
    ds = new HikariDataSource();
    ds.setJdbcUrl(db.createDatabase(name));
    ds.setMaximumPoolSize(6);
    SchemaMigrations.migrate(ds, "keeper");
    store = TxStore.of(Jdbi.create(ds));
  }

  /** An engine for the keeper key, holder {@code holder}. */
  TxEngine engine(TxEngineConfig config, String holder) {
    return engine(config, holder, web3j);
  }

  /** An engine for the keeper key that talks to the chain through {@code client}. */
  TxEngine engine(TxEngineConfig config, String holder, Web3j client) {
    SignerPolicy policy =
        new SignerPolicy(
            Map.of(d.orderBook().toLowerCase(), OrderBookCalls.selectors()),
            BigInteger.TEN.pow(17));
    return new TxEngine(
        CHAIN,
        client,
        new LocalKeySigner(DevAccounts.keeper()),
        policy,
        store,
        config,
        metrics,
        OrderBookCalls.REVERTS,
        OrderBookCalls::alreadyDone,
        holder,
        Clock.systemUTC());
  }

  TxEngine engine(TxEngineConfig config) {
    return engine(config, UUID.randomUUID().toString());
  }

  OrderBook book(Credentials as) {
    return OrderBook.load(
        d.orderBook(), web3j, ContractDeployer.transactionManager(web3j, as, CHAIN), gas);
  }

  /**
   * Creates an ACTIVE redeem order of {@code shares} AAPL from wallet 0 paying USDC.
   *
   * @return its order id
   */
  long activeOrder(long shares, long minNotional) throws Exception {
    Credentials owner = DevAccounts.wallet(0);
    BigInteger qty = BigInteger.valueOf(shares).multiply(BigInteger.TEN.pow(6));
    String aapl = ContractDeployer.fundRedeemer(web3j, d, owner, "AAPL", qty);
    OrderBook asOwner = book(owner);
    long id = asOwner.nextOrderId().send().longValueExact();
    asOwner
        .createRedeem(aapl, qty, d.usdc(), BigInteger.valueOf(minNotional), owner.getAddress())
        .send();
    return id;
  }

  /** The order's status on chain. */
  ChainOrderStatus status(long orderId) throws Exception {
    return ChainOrderStatus.values()[
        book(DevAccounts.keeper()).statusOf(BigInteger.valueOf(orderId)).send().intValueExact()];
  }

  /** Settle intent of an order (generation 1). */
  Intent settle(TxEngine engine, long orderId, long grossNotional) throws Exception {
    return engine.submit(
        "settle:" + CHAIN + ":" + orderId + ":1",
        d.orderBook(),
        settleCall(orderId, grossNotional),
        TxAction.SETTLE,
        OptionalLong.of(orderId));
  }

  /**
   * {@code settle} call data of an order at {@code grossNotional}, the fill attested by the
   * broker's attester for the order's quantity on chain (as the simulated broker signs it).
   */
  String settleCall(long orderId, long grossNotional) throws Exception {
    BigInteger quantity =
        book(DevAccounts.keeper()).getOrder(BigInteger.valueOf(orderId)).send().quantity;
    return OrderBookCalls.settle(
        dev.lockstep.contracts.FillAttestation.sign(
            DevAccounts.attester(),
            CHAIN,
            d.orderBook(),
            orderId,
            quantity,
            BigInteger.valueOf(grossNotional),
            BigInteger.ZERO,
            java.time.Instant.now().plusSeconds(86_400).getEpochSecond()),
        BigInteger.ZERO);
  }

  /** Pumps {@code engines} in turn until the intent closes (or 30 s pass). */
  /**
   * Pumps until the intent is in {@code status} (at most 10 s): on a loaded machine the receipt of
   * a transaction anvil has just mined may show one pump later.
   */
  Intent pumpUntil(long intentId, IntentStatus status, TxEngine... engines) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (TxEngine e : engines) {
        e.pump();
      }
      Intent i = store.intents().get(intentId);
      if (i.status() == status) {
        return i;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "intent " + intentId + " still " + store.intents().get(intentId).status());
  }

  Intent pumpUntilClosed(long intentId, TxEngine... engines) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (TxEngine e : engines) {
        e.pump();
      }
      Intent i = store.intents().get(intentId);
      if (i.closed()) {
        return i;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "intent " + intentId + " still " + store.intents().get(intentId).status());
  }

  /** {@code OrderSettled} logs of {@code orderId} on the canonical chain. */
  long settledLogs(long orderId) throws Exception {
    org.web3j.protocol.core.methods.request.EthFilter filter =
        new org.web3j.protocol.core.methods.request.EthFilter(
            org.web3j.protocol.core.DefaultBlockParameterName.EARLIEST,
            org.web3j.protocol.core.DefaultBlockParameterName.LATEST,
            d.orderBook());
    filter.addSingleTopic(org.web3j.abi.EventEncoder.encode(OrderBook.ORDERSETTLED_EVENT));
    filter.addOptionalTopics(
        org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(orderId), 64));
    return web3j.ethGetLogs(filter).send().getLogs().size();
  }

  double counter(String name, String action) {
    var c = registry.find(name).tag("action", action).counter();
    return c == null ? 0 : c.count();
  }

  List<Attempt> attempts(long intentId) {
    return store.attempts().attempts(intentId);
  }

  @Override
  public void close() {
    ds.close();
    web3j.shutdown();
    anvil.close();
  }
}
