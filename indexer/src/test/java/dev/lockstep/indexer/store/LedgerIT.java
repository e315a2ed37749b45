package dev.lockstep.indexer.store;

import static dev.lockstep.indexer.support.TestChain.shares;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.contracts.generated.TestStablecoin;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.indexer.support.SharedDatabase;
import dev.lockstep.indexer.support.TestChain;
import dev.lockstep.indexer.support.TestIndex;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.crypto.Credentials;

/**
 * The ledger against the chain, over seeded random runs on a real anvil chain with a reorg after
 * settlements: redeems and mints (with developer fees and both gas sponsors), settles, keeper
 * cancels, OCO pairs and their triggers, and developer-fee sweeps. After each run every order's
 * ledger account holds exactly what the book holds for it on chain (its lock and deposit while
 * open, nothing once closed); each recipient's escrow account equals the book's {@code
 * developerFeesOf}; the reorg's undone entries are answered by reversing entries, never changed;
 * and the database refuses UPDATE and DELETE.
 */
class LedgerIT extends SharedDatabase {
  private static final String DEV = "0x00000000000000000000000000000000000de7de";
  private static final int ARMED = 5;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 2026})
  void theLedgerMatchesTheChainAfterARandomRunWithAReorg(long seed) throws Exception {
    try (TestChain c = new TestChain(31337);
        TestIndex idx = new TestIndex(db, "ledger" + seed, c.config().build())) {
      Run run = new Run(c, new Random(seed));
      run.setUp();
      idx.start();
      run.actions(10);
      idx.awaitAt(c);
      long forkedAt = c.head();
      String snap = c.snapshot();
      run.settleSomething();
      run.actions(6);
      idx.awaitAt(c);
      long undone = count(idx, "reverses IS NULL AND block_number > " + forkedAt);
      assertThat(undone).as("the branch to drop booked entries").isPositive();

      c.revert(snap);
      c.mine(2);
      run.actions(10);
      idx.awaitAt(c);

      // Every entry the reorg removed is answered by exactly one reversing entry.
      assertThat(count(idx, "reverses IS NOT NULL")).isEqualTo(undone);
      // Every standing entry (booked, not reversed) comes from a transaction of the canonical
      // chain,
      // mined in the block it names.
      List<Map<String, Object>> standing =
          idx.jdbi.withHandle(
              h ->
                  h.createQuery(
                          """
                          SELECT DISTINCT e.tx_hash, e.block_number FROM indexer.ledger_entries e
                          WHERE e.reverses IS NULL
                            AND NOT EXISTS (SELECT 1 FROM indexer.ledger_entries r WHERE r.reverses = e.entry_id)""")
                      .mapToMap()
                      .list());
      for (Map<String, Object> e : standing) {
        var receipt =
            c.web3j
                .ethGetTransactionReceipt((String) e.get("tx_hash"))
                .send()
                .getTransactionReceipt();
        assertThat(receipt).as("receipt of " + e.get("tx_hash")).isPresent();
        assertThat(receipt.get().getBlockNumber().longValueExact())
            .as("block of " + e.get("tx_hash"))
            .isEqualTo(((Number) e.get("block_number")).longValue());
      }
      // (Every transaction's legs sum to zero per currency by construction: an entry is one
      // transfer
      // of a positive amount between two different accounts, which the table enforces. What can go
      // wrong is which accounts and amounts are booked; the checks below hold them to the chain.)
      run.assertOrdersMatch(idx);
      assertThat(balance(idx, "developer_fees:31337:" + DEV, c.d.usdc()))
          .as("the escrow account is the book's developerFeesOf")
          .isEqualTo(run.keeperBook.developerFeesOf(DEV, c.d.usdc()).send());
      assertThat(run.settles + run.cancels + run.triggers + run.sweeps).isGreaterThan(4);

      // Immutable: the database refuses changes and removals, whoever asks.
      assertThatThrownBy(
              () ->
                  idx.jdbi.useHandle(
                      h -> h.execute("UPDATE indexer.ledger_entries SET amount = amount + 1")))
          .hasMessageContaining("immutable");
      assertThatThrownBy(
              () -> idx.jdbi.useHandle(h -> h.execute("DELETE FROM indexer.ledger_entries")))
          .hasMessageContaining("immutable");
    }
  }

  private static long count(TestIndex idx, String where) {
    return idx.jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM indexer.ledger_entries WHERE " + where)
                .mapTo(Long.class)
                .one());
  }

  /** An account's balance (credits less debits) in {@code currency}, base units. */
  static BigInteger balance(TestIndex idx, String account, String currency) {
    return idx.jdbi.withHandle(
        h ->
            h.createQuery(
                    """
                    SELECT coalesce(sum(CASE WHEN credit_account = :a THEN amount ELSE -amount END), 0)
                    FROM indexer.ledger_entries
                    WHERE (credit_account = :a OR debit_account = :a) AND currency = :cur""")
                .bind("a", account)
                .bind("cur", currency.toLowerCase())
                .mapTo(BigDecimal.class)
                .one()
                .toBigIntegerExact());
  }

  /** The random actions, straight on the book (the keeper's and the holders' calls). */
  private static final class Run {
    final TestChain c;
    final Random rnd;
    final Credentials holder = DevAccounts.wallet(0);
    final Credentials buyer = DevAccounts.wallet(1);
    final OrderBook keeperBook;
    String aapl;
    int settles;
    int cancels;
    int triggers;
    int sweeps;

    Run(TestChain c, Random rnd) {
      this.c = c;
      this.rnd = rnd;
      this.keeperBook = c.book(DevAccounts.keeper());
    }

    void setUp() throws Exception {
      c.factory().mint("AAPL", holder.getAddress(), shares(1_000)).send();
      aapl = c.tokenOf("AAPL");
      c.token(aapl, holder).approve(c.d.orderBook(), shares(1_000)).send();
      TestStablecoin usdc =
          TestStablecoin.load(
              c.d.usdc(),
              c.web3j,
              ContractDeployer.transactionManager(c.web3j, DevAccounts.admin(), c.chainId),
              c.gas);
      for (Credentials w : List.of(holder, buyer)) {
        usdc.mint(w.getAddress(), BigInteger.valueOf(100_000_000_000L)).send();
        TestStablecoin.load(
                c.d.usdc(),
                c.web3j,
                ContractDeployer.transactionManager(c.web3j, w, c.chainId),
                c.gas)
            .approve(c.d.orderBook(), BigInteger.TWO.pow(200))
            .send();
      }
    }

    OrderBook.Terms terms() throws Exception {
      int fee = keeperBook.minPlatformFeeBps().send().intValue();
      boolean developerFee = rnd.nextBoolean();
      boolean developerGas = rnd.nextBoolean();
      return new OrderBook.Terms(
          BigInteger.valueOf(fee),
          BigInteger.valueOf(developerFee ? 25 : 0),
          developerFee ? DEV : "0x" + "0".repeat(40),
          BigInteger.valueOf(developerGas ? 1 : 0),
          BigInteger.valueOf(developerGas ? 2_000_000 : 500_000));
    }

    void actions(int n) throws Exception {
      for (int i = 0; i < n; i++) {
        switch (rnd.nextInt(7)) {
          case 0 ->
              c.book(holder)
                  .createRedeemWithTerms(
                      aapl,
                      shares(1 + rnd.nextInt(3)),
                      c.d.usdc(),
                      BigInteger.ONE,
                      holder.getAddress(),
                      terms())
                  .send();
          case 1 ->
              c.book(buyer)
                  .createMint(
                      "AAPL",
                      shares(1 + rnd.nextInt(2)),
                      c.d.usdc(),
                      BigInteger.valueOf(500_000_000),
                      buyer.getAddress(),
                      terms())
                  .send();
          case 2 -> settleSomething();
          case 3 -> {
            long id = pick(List.of(1, 2, ARMED));
            if (id > 0) {
              keeperBook.cancel(BigInteger.valueOf(id)).send();
              cancels++;
            }
          }
          case 4 ->
              c.book(holder)
                  .createRedeemOco(
                      aapl,
                      shares(1),
                      c.d.usdc(),
                      BigInteger.ONE,
                      holder.getAddress(),
                      terms(),
                      new OrderBook.Oco(
                          BigInteger.valueOf(100_000_000),
                          BigInteger.valueOf(300_000_000),
                          BigInteger.valueOf(java.time.Instant.now().getEpochSecond() + 86_400)))
                  .send();
          case 5 -> {
            long id = pick(List.of(ARMED));
            if (id > 0) {
              OrderBook.Trigger t =
                  keeperBook.triggerOf(BigInteger.valueOf(id)).send().component1();
              boolean stop = t.kind.intValue() == 1;
              keeperBook
                  .trigger(
                      BigInteger.valueOf(id), BigInteger.valueOf(stop ? 90_000_000 : 310_000_000))
                  .send();
              triggers++;
            }
          }
          default -> {
            keeperBook.sweepDeveloperFees(DEV, c.d.usdc()).send();
            sweeps++;
          }
        }
      }
    }

    /**
     * Settles a random ACTIVE order at a fill within its bounds (triggering an armed one first).
     */
    void settleSomething() throws Exception {
      long id = pick(List.of(2));
      if (id == 0) {
        return;
      }
      OrderBook.Order o = keeperBook.getOrder(BigInteger.valueOf(id)).send();
      BigInteger wholeShares = o.quantity.divide(BigInteger.TEN.pow(6)).max(BigInteger.ONE);
      BigInteger perShare =
          o.side.intValue() == 0
              ? BigInteger.valueOf(310_000_000) // above any take-profit of the run
              : BigInteger.valueOf(150_000_000);
      ContractDeployer.settle(keeperBook, c.chainId, id, perShare.multiply(wholeShares));
      settles++;
    }

    /** A random order whose on-chain status is one of {@code statuses}, or 0. */
    long pick(List<Integer> statuses) throws Exception {
      long next = keeperBook.nextOrderId().send().longValueExact();
      List<Long> ids = new ArrayList<>();
      for (long id = 1; id < next; id++) {
        if (statuses.contains(keeperBook.statusOf(BigInteger.valueOf(id)).send().intValue())) {
          ids.add(id);
        }
      }
      return ids.isEmpty() ? 0 : ids.get(rnd.nextInt(ids.size()));
    }

    /**
     * Each order's ledger account (an OCO pair's is its stop leg's) holds what the book holds for
     * it: a redeem's tokens while any leg is open, its stablecoin lock and gas deposit while open;
     * nothing once closed.
     */
    void assertOrdersMatch(TestIndex idx) throws Exception {
      long next = keeperBook.nextOrderId().send().longValueExact();
      Map<Long, BigInteger[]> expected = new HashMap<>(); // holder id -> {tokens, stablecoin}
      for (long id = 1; id < next; id++) {
        OrderBook.Order o = keeperBook.getOrder(BigInteger.valueOf(id)).send();
        long peer =
            keeperBook.triggerOf(BigInteger.valueOf(id)).send().component2().longValueExact();
        long holderId = peer != 0 && peer < id ? peer : id;
        int s = o.status.intValue();
        boolean open = s == 1 || s == 2 || s == ARMED;
        BigInteger[] e =
            expected.computeIfAbsent(
                holderId, k -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
        if (open) {
          if (o.side.intValue() == 0) {
            e[0] = o.quantity; // one lock per pair
          }
          e[1] = e[1].add(o.locked).add(o.gasDeposit);
        }
      }
      assertThat(expected).isNotEmpty();
      for (var en : expected.entrySet()) {
        String account = "order:31337:" + en.getKey();
        assertThat(balance(idx, account, aapl)).as(account + " tokens").isEqualTo(en.getValue()[0]);
        assertThat(balance(idx, account, c.d.usdc()))
            .as(account + " stablecoin")
            .isEqualTo(en.getValue()[1]);
      }
    }
  }
}
