package dev.lockstep.keeper.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.EmbeddedDatabase;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The transaction engine against a real anvil and a real PostgreSQL. */
class TxEngineIT {
  private static EmbeddedDatabase db;
  private static final TxEngineConfig FAST =
      TxEngineConfig.defaults().withReplaceAfter(Duration.ofSeconds(30), 3);

  @BeforeAll
  static void startDatabase() {
    db = EmbeddedDatabase.start(Path.of("target", "pg-it"));
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @Test
  void aSettleIsMinedOnceAndResubmittingItIsANoOp() throws Exception {
    try (EngineFixture f = new EngineFixture(db, "once")) {
      long order = f.activeOrder(2, 1_000_000);
      TxEngine engine = f.engine(FAST);
      Intent first = f.settle(engine, order, 300_000_000);
      Intent again = f.settle(engine, order, 300_000_000);
      assertThat(again.id()).isEqualTo(first.id());

      Intent done = f.pumpUntilClosed(first.id(), engine);

      assertThat(done.status()).isEqualTo(IntentStatus.CONFIRMED);
      assertThat(f.status(order)).isEqualTo(ChainOrderStatus.SETTLED);
      assertThat(f.attempts(first.id())).hasSize(1);
      assertThat(f.settle(engine, order, 300_000_000).status()).isEqualTo(IntentStatus.CONFIRMED);
      engine.pump();
      assertThat(f.attempts(first.id())).hasSize(1);
      assertThat(f.counter("keeper.tx.confirmed", "settle")).isEqualTo(1);
      assertThat(f.registry.find("keeper.signer.balance_wei").gauge().value()).isGreaterThan(1e18);
      assertThat(f.registry.find("keeper.signer.low_balance").gauge().value()).isZero();
      assertThat(f.registry.find("keeper.tx.time_to_confirm").timer().count()).isEqualTo(1);
    }
  }

  @Test
  void aStuckTransactionIsReplacedWithTheSameNonceAndHigherFees() throws Exception {
    try (EngineFixture f = new EngineFixture(db, "stuck")) {
      long order = f.activeOrder(2, 1_000_000);
      TxEngine engine =
          f.engine(TxEngineConfig.defaults().withReplaceAfter(Duration.ofMillis(300), 3));
      f.anvil.automine(false);
      Intent intent = f.settle(engine, order, 300_000_000);
      engine.pump();
      Attempt original = f.attempts(intent.id()).getFirst();
      // The base fee jumps above what the original offers: it cannot be mined any more.
      f.anvil.nextBlockBaseFee(original.fees().maxFeePerGas().multiply(BigInteger.TWO));
      f.anvil.mine(1);
      Thread.sleep(400);
      engine.pump();

      List<Attempt> attempts = f.attempts(intent.id());
      assertThat(attempts).hasSize(2);
      Attempt replacement = attempts.get(1);
      assertThat(replacement.kind()).isEqualTo(AttemptKind.REPLACEMENT);
      assertThat(replacement.fees().maxFeePerGas())
          .isGreaterThanOrEqualTo(
              original
                  .fees()
                  .maxFeePerGas()
                  .multiply(BigInteger.valueOf(110))
                  .divide(BigInteger.valueOf(100)));
      assertThat(replacement.fees().maxPriorityFeePerGas())
          .isGreaterThanOrEqualTo(
              original
                  .fees()
                  .maxPriorityFeePerGas()
                  .multiply(BigInteger.valueOf(110))
                  .divide(BigInteger.valueOf(100)));

      f.anvil.mine(1);
      Intent done = f.pumpUntilClosed(intent.id(), engine);
      assertThat(done.status()).isEqualTo(IntentStatus.CONFIRMED);
      assertThat(done.minedTxHash()).contains(replacement.txHash());
      assertThat(f.status(order)).isEqualTo(ChainOrderStatus.SETTLED);
      assertThat(f.counter("keeper.tx.replaced", "settle")).isEqualTo(1);
    }
  }

  @Test
  void pastTheLastDeadlineTheNonceIsVoidedByANoOp() throws Exception {
    try (EngineFixture f = new EngineFixture(db, "noop")) {
      long order = f.activeOrder(2, 1_000_000);
      TxEngine engine =
          f.engine(TxEngineConfig.defaults().withReplaceAfter(Duration.ofMillis(200), 0));
      f.anvil.automine(false);
      Intent intent = f.settle(engine, order, 300_000_000);
      engine.pump();
      Thread.sleep(300);
      engine.pump();
      assertThat(f.attempts(intent.id()))
          .extracting(Attempt::kind)
          .containsExactly(AttemptKind.ORIGINAL, AttemptKind.NOOP);

      f.anvil.mine(1);
      Intent done = f.pumpUntilClosed(intent.id(), engine);

      assertThat(done.status()).isEqualTo(IntentStatus.FAILED);
      assertThat(done.outcome().orElseThrow()).contains("voided by a no-op");
      assertThat(f.status(order)).isEqualTo(ChainOrderStatus.ACTIVE);
      var tx =
          f.web3j
              .ethGetTransactionByHash(done.minedTxHash().orElseThrow())
              .send()
              .getTransaction()
              .orElseThrow();
      assertThat(tx.getTo()).isEqualToIgnoringCase(DevAccounts.keeper().getAddress());
      assertThat(tx.getValue()).isZero();
    }
  }

  @Test
  void aSettleReorgedOutIsBroadcastAgainAndConfirmedOnce() throws Exception {
    try (EngineFixture f = new EngineFixture(db, "reorg")) {
      long order = f.activeOrder(2, 1_000_000);
      TxEngine engine = f.engine(FAST.withConfirmations(3));
      String beforeSettle = f.anvil.snapshot();
      Intent intent = f.settle(engine, order, 300_000_000);
      // Broadcast (automine mines it at once), then the receipt: mined, 1 of 3 confirmations.
      String minedHash =
          f.pumpUntil(intent.id(), IntentStatus.MINED, engine).minedTxHash().orElseThrow();

      f.anvil.revert(
          beforeSettle); // the block with the settle is gone, and the transaction with it
      assertThat(f.status(order)).isEqualTo(ChainOrderStatus.ACTIVE);
      f.anvil.mine(2);
      engine.pump(); // receipt gone: back to submitted, same bytes broadcast again (automine mines
      // them)

      f.anvil.mine(3);
      Intent done = f.pumpUntilClosed(intent.id(), engine);
      assertThat(done.status()).isEqualTo(IntentStatus.CONFIRMED);
      assertThat(done.minedTxHash()).contains(minedHash);
      assertThat(f.attempts(intent.id())).hasSize(1);
      assertThat(f.status(order)).isEqualTo(ChainOrderStatus.SETTLED);
      assertThat(f.counter("keeper.tx.reorged", "settle")).isEqualTo(1);
    }
  }

  @Test
  void
      aSettleConfirmedThenRemovedByAReorgDeeperThanItsConfirmationsIsSentAgainWithTheThreeBehindIt()
          throws Exception {
    deepReorg("deep-reorg", false);
  }

  @Test
  void theSameDeepReorgHealsAcrossADaemonRestart() throws Exception {
    deepReorg("deep-reorg-restart", true);
  }

  /**
   * A settle is confirmed (1 confirmation), two more blocks are mined on top, three more settles of
   * the signer are broadcast behind it (the next nonces), then a reorg removes the settle's block:
   * the signer's chain nonce falls back below the confirmed intent's. Every order must end settled
   * exactly once on chain, with every intent confirmed, without re-signing anything.
   */
  private void deepReorg(String name, boolean restart) throws Exception {
    try (EngineFixture f = new EngineFixture(db, name)) {
      List<Long> orders = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        orders.add(f.activeOrder(1, 100_000));
      }
      TxEngineConfig config =
          FAST.withFinalityDepth(64)
              .withLeaseTtl(Duration.ofMillis(500))
              .withRebroadcastAfter(Duration.ofSeconds(1));
      TxEngine engine = f.engine(config, name + "-a");
      String beforeSettle = f.anvil.snapshot();
      Intent first = f.settle(engine, orders.get(0), 100_000_000);
      assertThat(f.pumpUntilClosed(first.id(), engine).status()).isEqualTo(IntentStatus.CONFIRMED);
      f.anvil.mine(2); // the settle is now 3 blocks deep: two deeper than its confirmations
      f.anvil.automine(false);
      List<Intent> behind = new ArrayList<>();
      for (long o : orders.subList(1, 4)) {
        behind.add(f.settle(engine, o, 100_000_000));
      }
      engine.pump(); // the three are signed and broadcast at the next nonces; none is mined
      assertThat(behind)
          .allMatch(i -> f.store.intents().get(i.id()).status() == IntentStatus.SUBMITTED);

      f.anvil.revert(beforeSettle); // the settle's block is gone: the chain nonce falls back
      assertThat(f.status(orders.get(0))).isEqualTo(ChainOrderStatus.ACTIVE);
      if (restart) {
        Thread.sleep(600); // the first daemon is gone; its lease expires
        engine = f.engine(config, name + "-b");
      }
      engine.pump(); // sees the settle's block replaced: open again, its bytes broadcast again
      assertThat(f.store.intents().get(first.id()).status()).isEqualTo(IntentStatus.SUBMITTED);
      assertThat(f.counter("keeper.tx.reorged", "settle")).isEqualTo(1);
      f.anvil.automine(true);
      f.anvil.mine(1);
      List<Intent> all = new ArrayList<>(behind);
      all.addFirst(first);
      for (Intent i : all) {
        Intent done = f.pumpUntilClosed(i.id(), engine);
        assertThat(done.status()).as(i.idempotencyKey()).isEqualTo(IntentStatus.CONFIRMED);
        assertThat(f.attempts(i.id())).as("nothing re-signed").hasSize(1);
      }
      for (long o : orders) {
        assertThat(f.status(o)).isEqualTo(ChainOrderStatus.SETTLED);
        assertThat(f.settledLogs(o)).as("OrderSettled of order " + o).isEqualTo(1);
      }
    }
  }

  @Test
  void aSignerWhoseNonceStopsMovingWithIntentsInFlightIsReportedStuckUntilItMovesAgain()
      throws Exception {
    try (EngineFixture f = new EngineFixture(db, "stuck")) {
      long order = f.activeOrder(1, 100_000);
      TxEngine engine = f.engine(FAST.withStuckAfter(Duration.ofSeconds(1)), "stuck");
      f.anvil.automine(false); // nothing is mined: the signer's nonce stays where it is
      Intent i = f.settle(engine, order, 100_000_000);
      engine.pump();
      assertThat(engine.status().stuck()).isFalse();
      Thread.sleep(1_200);
      engine.pump();
      assertThat(engine.status().stuck()).isTrue();
      assertThat(engine.status().inFlight()).isEqualTo(1);
      assertThat(f.registry.find("keeper.signer.stuck").gauge().value()).isEqualTo(1.0);
      f.anvil.automine(true);
      f.anvil.mine(1);
      assertThat(f.pumpUntilClosed(i.id(), engine).status()).isEqualTo(IntentStatus.CONFIRMED);
      engine.pump();
      assertThat(engine.status().stuck()).isFalse();
      assertThat(f.registry.find("keeper.signer.stuck").gauge().value()).isZero();
    }
  }

  @Test
  void aRestartWithTransactionsInFlightSignsNothingNew() throws Exception {
    try (EngineFixture f = new EngineFixture(db, "restart")) {
      long a = f.activeOrder(1, 100_000);
      long b = f.activeOrder(1, 100_000);
      long c = f.activeOrder(1, 100_000);
      TxEngineConfig config = FAST.withLeaseTtl(Duration.ofMillis(500));
      TxEngine before = f.engine(config, "daemon-before");
      f.anvil.automine(false);
      Intent ia = f.settle(before, a, 100_000_000);
      Intent ib = f.settle(before, b, 100_000_000);
      before.pump(); // both signed, recorded and broadcast; none mined
      // A crash right after recording c's transaction, before broadcasting it.
      Intent ic = f.settle(before, c, 100_000_000);
      before.prepare(
          List.of(ic),
          new Fees(BigInteger.valueOf(50_000_000_000L), BigInteger.valueOf(1_000_000_000L)));
      assertThat(f.attempts(ic.id()).getFirst().broadcastAt()).isEmpty();

      // The daemon is gone (lease not released); another takes over once the lease expires.
      TxEngine after = f.engine(config, "daemon-after");
      Thread.sleep(600);
      f.anvil.automine(true);
      after.pump();
      f.anvil.mine(1);
      for (Intent i : List.of(ia, ib, ic)) {
        assertThat(f.pumpUntilClosed(i.id(), after).status()).isEqualTo(IntentStatus.CONFIRMED);
        assertThat(f.attempts(i.id())).hasSize(1);
      }
      assertThat(List.of(f.status(a), f.status(b), f.status(c)))
          .containsOnly(ChainOrderStatus.SETTLED);
      Set<Long> nonces = new HashSet<>();
      for (Intent i : List.of(ia, ib, ic)) {
        nonces.add(f.store.intents().get(i.id()).nonce().orElseThrow());
      }
      assertThat(nonces).hasSize(3);
    }
  }

  @Test
  void twoEnginesRacingOnOneSignerSettleEveryOrderOnce() throws Exception {
    try (EngineFixture f = new EngineFixture(db, "race")) {
      List<Long> orders = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        orders.add(f.activeOrder(1, 100_000));
      }
      TxEngine one = f.engine(FAST, "daemon-1");
      TxEngine two = f.engine(FAST, "daemon-2");
      List<Long> intents = new ArrayList<>();
      for (long o : orders) {
        intents.add(f.settle(o % 2 == 0 ? one : two, o, 100_000_000).id());
        f.settle(o % 2 == 0 ? two : one, o, 100_000_000); // both daemons decide the same thing
      }
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> running = new ArrayList<>();
        for (TxEngine e : List.of(one, two)) {
          running.add(
              pool.submit(
                  () -> {
                    for (int round = 0; round < 60; round++) {
                      e.pump();
                      Thread.sleep(50);
                    }
                    return null;
                  }));
        }
        for (Future<?> r : running) {
          r.get();
        }
      } finally {
        pool.shutdownNow();
      }
      for (long id : intents) {
        assertThat(f.store.intents().get(id).status()).isEqualTo(IntentStatus.CONFIRMED);
        assertThat(f.attempts(id)).hasSize(1);
      }
      for (long o : orders) {
        assertThat(f.status(o)).isEqualTo(ChainOrderStatus.SETTLED);
      }
      assertThat(f.counter("keeper.tx.submitted", "settle")).isEqualTo(orders.size());
    }
  }

  @Test
  void revertsAreDecodedAndAnOrderAlreadyDoneIsDoneByOther() throws Exception {
    try (EngineFixture f = new EngineFixture(db, "reverts")) {
      TxEngine engine = f.engine(FAST);
      // Below the order's minimum: simulated, decoded, never broadcast.
      long cheap = f.activeOrder(1, 500_000_000);
      Intent low = f.pumpUntilClosed(f.settle(engine, cheap, 1_000).id(), engine);
      assertThat(low.status()).isEqualTo(IntentStatus.REVERTED);
      assertThat(low.outcome().orElseThrow())
          .startsWith("OrderBookPayoutBelowMinimum(" + cheap + ",");
      assertThat(f.attempts(low.id())).isEmpty();

      // Someone else settles first: the keeper's settle is done_by_other without a transaction.
      long taken = f.activeOrder(1, 100_000);
      ContractDeployer.settle(
          f.book(DevAccounts.keeper()),
          EngineFixture.CHAIN,
          taken,
          BigInteger.valueOf(100_000_000));
      Intent other = f.pumpUntilClosed(f.settle(engine, taken, 100_000_000).id(), engine);
      assertThat(other.status()).isEqualTo(IntentStatus.DONE_BY_OTHER);
      assertThat(other.outcome().orElseThrow())
          .startsWith("OrderBookOrderNotActive(" + taken + ", 3)");
      assertThat(f.attempts(other.id())).isEmpty();

      // Two settles of one order (two keys: as from two systems) simulated and signed before either
      // is broadcast, then mined in one block: the second reverts on chain and is decoded there.
      long raced = f.activeOrder(1, 100_000);
      f.anvil.automine(false);
      engine.pump(); // holds the lease; nothing queued
      Intent x =
          engine.submit(
              "settle:raced:a",
              f.d.orderBook(),
              f.settleCall(raced, 100_000_000),
              TxAction.SETTLE,
              OptionalLong.of(raced));
      Intent y =
          engine.submit(
              "settle:raced:b",
              f.d.orderBook(),
              f.settleCall(raced, 100_000_000),
              TxAction.SETTLE,
              OptionalLong.of(raced));
      Fees offer =
          new Fees(BigInteger.valueOf(50_000_000_000L), BigInteger.valueOf(1_000_000_000L));
      assertThat(engine.prepare(List.of(f.store.intents().get(x.id())), offer)).hasSize(1);
      assertThat(engine.prepare(List.of(f.store.intents().get(y.id())), offer)).hasSize(1);
      engine.pump(); // broadcasts both recorded transactions
      f.anvil.mine(1);
      f.anvil.automine(true);
      Intent first = f.pumpUntilClosed(x.id(), engine);
      Intent second = f.pumpUntilClosed(y.id(), engine);
      assertThat(first.status()).isEqualTo(IntentStatus.CONFIRMED);
      assertThat(second.status()).isEqualTo(IntentStatus.DONE_BY_OTHER);
      assertThat(second.outcome().orElseThrow())
          .contains("OrderBookOrderNotActive(" + raced + ", 3)")
          .contains("mined reverted");
    }
  }

  @Test
  void aNonceGapIsFoundAndFilledWithANoOpSoLaterTransactionsMine() throws Exception {
    try (EngineFixture f = new EngineFixture(db, "gap")) {
      long order = f.activeOrder(1, 100_000);
      TxEngine engine = f.engine(FAST);
      engine.pump(); // takes the lease
      // A nonce handed out and lost (for example a database restored from a backup): nobody holds
      // it.
      long lost;
      try (var c = f.ds.getConnection();
          var st = c.createStatement()) {
        var rs =
            st.executeQuery(
                "UPDATE keeper.nonce_leases SET next_nonce = next_nonce + 1 RETURNING next_nonce - 1");
        rs.next();
        lost = rs.getLong(1);
      }
      Intent settle = f.settle(engine, order, 100_000_000);

      Intent done = f.pumpUntilClosed(settle.id(), engine);

      assertThat(done.status()).isEqualTo(IntentStatus.CONFIRMED);
      assertThat(done.nonce().orElseThrow()).isEqualTo(lost + 1);
      Intent gap =
          f.store
              .intents()
              .byKey("gap:" + EngineFixture.CHAIN + ":" + engine.signer() + ":" + lost)
              .orElseThrow();
      assertThat(gap.action()).isEqualTo(TxAction.NOOP);
      assertThat(gap.nonce()).hasValue(lost);
      assertThat(f.registry.find("keeper.nonce.gaps").counter().count()).isEqualTo(1);
      assertThat(f.status(order)).isEqualTo(ChainOrderStatus.SETTLED);
    }
  }

  @Test
  void aDeadPrimaryRpcUrlFailsOverToTheChainsFallbackUrl() throws Exception {
    try (EngineFixture f = new EngineFixture(db, "failover");
        java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
      String dead = "http://127.0.0.1:" + closed.getLocalPort();
      closed.close(); // nothing listens there any more: every call to it is refused
      List<dev.lockstep.indexer.rpc.RpcErrorKind> errors =
          java.util.Collections.synchronizedList(new ArrayList<>());
      org.web3j.protocol.Web3j failover =
          org.web3j.protocol.Web3j.build(
              new dev.lockstep.indexer.rpc.Web3jTransport(
                  new dev.lockstep.indexer.rpc.ChainRpc(
                      List.of(dead, f.anvil.rpcUrl()), Duration.ofSeconds(5), 3, errors::add)));
      TxEngine engine = f.engine(FAST, "failover", failover);
      long order = f.activeOrder(2, 100_000);
      Intent done = f.pumpUntilClosed(f.settle(engine, order, 300_000_000).id(), engine);
      assertThat(done.status()).isEqualTo(IntentStatus.CONFIRMED);
      assertThat(f.status(order)).isEqualTo(ChainOrderStatus.SETTLED);
      assertThat(errors).as("the dead primary was tried and refused").isNotEmpty();
    }
  }

  @Test
  void theSignerPolicyRefusesAnythingElse() throws Exception {
    try (EngineFixture f = new EngineFixture(db, "policy")) {
      TxEngine engine = f.engine(FAST);
      assertThatThrownBy(
              () ->
                  engine.submit(
                      "x",
                      f.d.usdc(),
                      "0xa9059cbb" + "00".repeat(64),
                      TxAction.SETTLE,
                      OptionalLong.of(1)))
          .isInstanceOf(SignerPolicy.DisallowedException.class)
          .hasMessageContaining("not allowlisted");
      assertThatThrownBy(
              () ->
                  engine.submit(
                      "y",
                      f.d.orderBook(),
                      "0x2f2ff15d" + "00".repeat(64),
                      TxAction.SETTLE,
                      OptionalLong.of(1)))
          .isInstanceOf(SignerPolicy.DisallowedException.class)
          .hasMessageContaining("selector 0x2f2ff15d");
      assertThat(f.store.intents().byKey("x")).isEmpty();
    }
  }

  @Test
  void aSettleWhoseFillTheKeeperSignedItselfIsRefusedBeforeBroadcast() throws Exception {
    try (EngineFixture f = new EngineFixture(db, "forged")) {
      TxEngine engine = f.engine(FAST);
      long order = f.activeOrder(1, 100_000);
      java.math.BigInteger quantity =
          f.book(DevAccounts.keeper())
              .getOrder(java.math.BigInteger.valueOf(order))
              .send()
              .quantity;
      String forged =
          OrderBookCalls.settle(
              dev.lockstep.contracts.FillAttestation.sign(
                  DevAccounts.keeper(),
                  EngineFixture.CHAIN,
                  f.d.orderBook(),
                  order,
                  quantity,
                  java.math.BigInteger.valueOf(1_000_000_000),
                  java.math.BigInteger.ZERO,
                  java.time.Instant.now().plusSeconds(3_600).getEpochSecond()),
              java.math.BigInteger.ZERO);
      Intent i =
          f.pumpUntilClosed(
              engine
                  .submit(
                      "settle:forged:" + order,
                      f.d.orderBook(),
                      forged,
                      TxAction.SETTLE,
                      OptionalLong.of(order))
                  .id(),
              engine);
      assertThat(i.status()).isEqualTo(IntentStatus.REVERTED);
      assertThat(i.outcome().orElseThrow()).startsWith("OrderBookFillNotAttested(" + order + ",");
      assertThat(f.attempts(i.id())).as("never broadcast").isEmpty();
      assertThat(f.status(order)).isEqualTo(ChainOrderStatus.ACTIVE);
    }
  }
}
