package dev.lockstep.indexer.sync;

import static dev.lockstep.indexer.support.TestChain.shares;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.indexer.model.OrderStatus;
import dev.lockstep.indexer.support.Canonical;
import dev.lockstep.indexer.support.SharedDatabase;
import dev.lockstep.indexer.support.TestChain;
import dev.lockstep.indexer.support.TestIndex;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reorgs on a real anvil chain (evm_snapshot / evm_revert, then a different, longer fork): the
 * index rolls back to the common ancestor and re-applies the canonical blocks, so it matches the
 * chain afterwards.
 */
class ReorgIT extends SharedDatabase {
  @ParameterizedTest(name = "depth {0}")
  @ValueSource(ints = {1, 2, 10})
  void rollsBackAndReappliesTheCanonicalChain(int depth) throws Exception {
    try (TestChain c = new TestChain(31337);
        TestIndex idx = new TestIndex(db, "reorg" + depth, c.config().build())) {
      var factory = c.factory();
      String w0 = DevAccounts.wallet(0).getAddress();
      String w1 = DevAccounts.wallet(1).getAddress();
      factory.mint("AAPL", w0, shares(100)).send();
      idx.start();
      idx.awaitAt(c);
      long ancestor = c.head();
      String snap = c.snapshot();
      // The fork that will be dropped: `depth` blocks, a new token among them.
      for (int i = 0; i < depth; i++) {
        factory.mint(i % 2 == 0 ? "NVDA" : "AAPL", w1, shares(i + 1)).send();
      }
      idx.awaitAt(c);
      assertThat(idx.reader.tokens()).anyMatch(t -> t.symbol().equals("NVDA"));

      c.revert(snap);
      // The canonical fork: one block longer, different content.
      factory.mint("SPY", w0, shares(7)).send();
      c.mine(depth);
      idx.awaitAt(c);

      Canonical.assertMatches(c, idx);
      assertThat(idx.reader.tokens()).noneMatch(t -> t.symbol().equals("NVDA"));
      assertThat(idx.registry.get("indexer.reorgs").counter().count()).isEqualTo(1.0);
      assertThat(idx.registry.get("indexer.reorg.depth").summary().max()).isEqualTo(depth);
      assertThat(idx.follower().health().status()).isEqualTo(SyncStatus.OK);
      assertThat(idx.checkpoint()).isEqualTo(ancestor + depth + 1);
    }
  }

  @Test
  void aReorgThatRemovesASettlementReopensTheOrderAndRestoresBalancesAndSupply() throws Exception {
    try (TestChain c = new TestChain(31337);
        TestIndex idx = new TestIndex(db, "reorgsettle", c.config().build())) {
      var owner = DevAccounts.wallet(0);
      c.factory().mint("AAPL", owner.getAddress(), shares(10)).send();
      String aapl = c.tokenOf("AAPL");
      c.token(aapl, owner).approve(c.d.orderBook(), shares(10)).send();
      c.book(owner)
          .createRedeem(
              aapl, shares(4), c.d.usdc(), BigInteger.valueOf(1_000_000), owner.getAddress())
          .send();
      idx.start();
      idx.awaitAt(c);
      assertThat(idx.reader.order(31337, 1).orElseThrow().status()).isEqualTo(OrderStatus.ACTIVE);

      String snap = c.snapshot();
      ContractDeployer.settle(
          c.book(DevAccounts.keeper()), 31337, 1, BigInteger.valueOf(749_680_000));
      idx.awaitAt(c);
      var settled = idx.reader.order(31337, 1).orElseThrow();
      assertThat(settled.status()).isEqualTo(OrderStatus.SETTLED);
      assertThat(settled.payout()).contains(BigInteger.valueOf(749_680_000));
      assertThat(outbox(idx, "redeem.settled")).isEqualTo(1);
      // An integrator already received redeem.settled: the rollback must answer it, not drop it.
      idx.jdbi.useHandle(
          h ->
              h.execute(
                  "UPDATE indexer.outbox_events SET dispatched_at = now() WHERE type = 'redeem.settled'"));

      c.revert(snap);
      c.mine(2);
      idx.awaitAt(c);

      var reopened = idx.reader.order(31337, 1).orElseThrow();
      assertThat(reopened.status()).isEqualTo(OrderStatus.ACTIVE);
      assertThat(reopened.payout()).isEmpty();
      assertThat(reopened.closedTx()).isEmpty();
      assertThat(idx.reader.orderHistory(31337, 1))
          .extracting(e -> e.event())
          .containsExactly("created");
      assertThat(outbox(idx, "redeem.reorged")).isEqualTo(1);
      String compensation =
          idx.jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT payload::text || ' wallet=' || wallet FROM indexer.outbox_events WHERE type = 'redeem.reorged'")
                      .mapTo(String.class)
                      .one());
      assertThat(compensation)
          .contains("\"reorged_type\": \"redeem.settled\"")
          .contains("\"previous_status\": \"settled\"")
          .contains("\"status\": \"active\"")
          .contains(" wallet=" + reopened.owner());
      Canonical.assertMatches(c, idx);

      // The keeper settles again on the canonical chain: indexed once, as a new event.
      ContractDeployer.settle(
          c.book(DevAccounts.keeper()), 31337, 1, BigInteger.valueOf(749_680_000));
      idx.awaitAt(c);
      assertThat(idx.reader.order(31337, 1).orElseThrow().status()).isEqualTo(OrderStatus.SETTLED);
      assertThat(outbox(idx, "redeem.settled")).isEqualTo(2);
      Canonical.assertMatches(c, idx);
    }
  }

  @Test
  void aReorgDeeperThanFinalityHaltsTheChainInsteadOfDiverging() throws Exception {
    try (TestChain c = new TestChain(31337);
        TestIndex idx = new TestIndex(db, "reorgdeep", c.config().finalityDepth(3).build())) {
      var factory = c.factory();
      String w0 = DevAccounts.wallet(0).getAddress();
      factory.mint("AAPL", w0, shares(1)).send();
      idx.start();
      idx.awaitAt(c);
      String snap = c.snapshot();
      for (int i = 0; i < 6; i++) {
        factory.mint("AAPL", w0, shares(1)).send();
      }
      idx.awaitAt(c);
      long finalized = idx.reader.checkpoint(31337).orElseThrow().finalizedBlock();
      c.revert(snap);
      c.mine(8);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> idx.follower().health().status() == SyncStatus.HALTED);
      var cp = idx.reader.checkpoint(31337).orElseThrow();
      assertThat(cp.haltedReason()).hasValueSatisfying(r -> assertThat(r).contains("finalized"));
      assertThat(cp.finalizedBlock()).isEqualTo(finalized);
      // Nothing of the new fork was indexed on top of the old one.
      String newTip =
          c.web3j
              .ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false)
              .send()
              .getBlock()
              .getHash()
              .toLowerCase();
      int kept =
          idx.jdbi.withHandle(
              h ->
                  h.createQuery("SELECT count(*) FROM indexer.blocks WHERE hash = :h")
                      .bind("h", newTip)
                      .mapTo(Integer.class)
                      .one());
      assertThat(kept).isZero();
    }
  }

  private static int outbox(TestIndex idx, String type) {
    return idx.jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM indexer.outbox_events WHERE type = :t")
                .bind("t", type)
                .mapTo(Integer.class)
                .one());
  }
}
