package dev.lockstep.indexer.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.EmbeddedDatabase;
import dev.lockstep.indexer.support.Canonical;
import dev.lockstep.indexer.support.Tables;
import dev.lockstep.indexer.support.TestChain;
import dev.lockstep.indexer.support.TestIndex;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.crypto.Credentials;

/**
 * A seeded random run of mints, transfers, redeems, settles, cancels, payout-currency changes and
 * reorgs, indexed live; afterwards every derived table must equal what a fresh index of the final
 * canonical chain produces. Replay a failure with {@code -Dlockstep.seed=<seed>} (printed).
 */
class DifferentialIT {
  private static final List<String> SYMBOLS = List.of("AAPL", "NVDA", "SPY");

  /**
   * Fixed seeds keep CI deterministic; {@code -Dlockstep.seed=N} replays (or explores) another run.
   */
  static List<Long> seeds() {
    Long replay = Long.getLong("lockstep.seed");
    return replay != null ? List.of(replay) : List.of(20261121L, 7L, 424242L);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void liveIndexThroughReorgsEqualsAFreshIndexOfTheFinalChain(long seed) throws Exception {
    System.out.println(
        "DifferentialIT seed " + seed + " (replay with -Dlockstep.seed=" + seed + ")");
    Random rnd = new Random(seed);
    try (EmbeddedDatabase db = EmbeddedDatabase.start(Path.of("target", "pg-it"));
        TestChain c = new TestChain(31337)) {
      var config = c.config().maxBlockRange(1 + rnd.nextInt(8)).build();
      try (TestIndex live = new TestIndex(db, "difflive", config)) {
        live.start();
        Run run = new Run(c, rnd);
        String snapshot = c.snapshot();
        int sinceSnapshot = 0;
        int reorgs = 0;
        for (int step = 0; step < 120; step++) {
          int r = rnd.nextInt(100);
          if (r < 8 && sinceSnapshot > 0) {
            if (rnd.nextBoolean()) {
              live.awaitAt(c); // let the index hold the doomed fork, so it must roll back
            }
            c.revert(snapshot);
            run.reorged();
            if (rnd.nextBoolean()) c.mine(1 + rnd.nextInt(3));
            snapshot = c.snapshot();
            sinceSnapshot = 0;
            reorgs++;
          } else if (r < 12 || sinceSnapshot > 12) {
            snapshot = c.snapshot();
            sinceSnapshot = 0;
          } else if (run.act(r)) {
            sinceSnapshot++;
          }
        }
        c.mine(1);
        live.awaitAt(c);
        Canonical.assertMatches(c, live);
        assertThat(reorgs).as("the run reorged").isPositive();

        try (TestIndex fresh = new TestIndex(db, "difffresh", config)) {
          fresh.start();
          fresh.awaitAt(c);
          Map<String, List<String>> expected = Tables.dump(fresh.jdbi);
          Map<String, List<String>> actual = Tables.dump(live.jdbi);
          for (String table : expected.keySet()) {
            assertThat(actual.get(table))
                .as(table + " (seed " + seed + ")")
                .containsExactlyElementsOf(expected.get(table));
          }
          assertThat(expected.get("transfers")).isNotEmpty();
          assertThat(expected.get("orders")).isNotEmpty();
        }
      }
    }
  }

  /** Random on-chain actions, chosen from what the chain allows now. */
  private static final class Run {
    private final TestChain c;
    private final Random rnd;
    private final List<Long> openOrders = new ArrayList<>();

    Run(TestChain c, Random rnd) {
      this.c = c;
      this.rnd = rnd;
    }

    void reorged() throws Exception {
      openOrders.clear();
      var book = c.book(DevAccounts.admin());
      long next = book.nextOrderId().send().longValueExact();
      for (long id = 1; id < next; id++) {
        int s = book.statusOf(BigInteger.valueOf(id)).send().intValue();
        if (s == 1 || s == 2) openOrders.add(id);
      }
    }

    private Credentials wallet() {
      return DevAccounts.wallet(rnd.nextInt(4));
    }

    /**
     * @return whether a transaction was sent
     */
    boolean act(int r) throws Exception {
      String symbol = SYMBOLS.get(rnd.nextInt(SYMBOLS.size()));
      if (r < 40) {
        c.factory()
            .mint(symbol, wallet().getAddress(), BigInteger.valueOf(1 + rnd.nextInt(5_000_000)))
            .send();
        return true;
      }
      String token = c.tokenOf(symbol);
      if (token.equals("0x0000000000000000000000000000000000000000")) {
        return false;
      }
      Credentials from = wallet();
      BigInteger balance = c.token(token, from).balanceOf(from.getAddress()).send();
      if (r < 60) {
        if (balance.signum() == 0) return false;
        BigInteger amount =
            balance
                .multiply(BigInteger.valueOf(1 + rnd.nextInt(100)))
                .divide(BigInteger.valueOf(100));
        c.token(token, from).transfer(wallet().getAddress(), amount).send();
        return true;
      }
      if (r < 75) {
        if (balance.signum() == 0) return false;
        BigInteger qty =
            balance
                .multiply(BigInteger.valueOf(1 + rnd.nextInt(100)))
                .divide(BigInteger.valueOf(100));
        if (qty.signum() == 0) return false;
        c.token(token, from).approve(c.d.orderBook(), qty).send();
        String payout = rnd.nextBoolean() ? c.d.usdc() : c.d.usdt();
        if (!c.book(from).isPayoutCurrency(payout).send()) return true;
        var receipt =
            c.book(from)
                .createRedeem(token, qty, payout, BigInteger.valueOf(1_000), from.getAddress())
                .send();
        openOrders.add(
            c.book(from).getOrderCreatedEvents(receipt).getFirst().orderId.longValueExact());
        return true;
      }
      if (r < 92) {
        if (openOrders.isEmpty()) return false;
        long id = openOrders.remove(rnd.nextInt(openOrders.size()));
        var keeper = c.book(DevAccounts.keeper());
        if (rnd.nextInt(3) > 0) {
          ContractDeployer.settle(
              keeper, c.chainId, id, BigInteger.valueOf(1_000 + rnd.nextInt(1_000_000)));
        } else {
          keeper.cancel(BigInteger.valueOf(id)).send();
        }
        return true;
      }
      boolean accepted = c.book(DevAccounts.admin()).isPayoutCurrency(c.d.usdt()).send();
      c.book(DevAccounts.admin()).setPayoutCurrency(c.d.usdt(), !accepted).send();
      return true;
    }
  }
}
