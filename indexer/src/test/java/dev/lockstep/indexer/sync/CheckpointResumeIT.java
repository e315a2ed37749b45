package dev.lockstep.indexer.sync;

import static dev.lockstep.indexer.support.TestChain.shares;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.EmbeddedDatabase;
import dev.lockstep.indexer.support.Canonical;
import dev.lockstep.indexer.support.TestChain;
import dev.lockstep.indexer.support.TestIndex;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A follower stopped mid-stream and restarted resumes from its checkpoint: no gap, no duplicate.
 */
class CheckpointResumeIT {

  @Test
  void resumesFromCheckpointWithoutGapsOrDuplicates() throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(Path.of("target", "pg-it"));
        TestChain c = new TestChain(31337);
        TestIndex idx = new TestIndex(db, "resume", c.config().maxBlockRange(3).build())) {
      traffic(c, 0);
      idx.start();
      idx.awaitAt(c);
      idx.stop();

      traffic(c, 1);
      idx.start();
      idx.awaitAt(c);
      idx.stop();

      Canonical.assertMatches(c, idx);
      int transfers =
          idx.jdbi.withHandle(
              h ->
                  h.createQuery("SELECT count(*) FROM indexer.transfers")
                      .mapTo(Integer.class)
                      .one());
      // 2 rounds x 2 tokens x (3 mints + 1 transfer), plus the USDC and USDT mints that funded the
      // payout pools
      assertThat(transfers).isEqualTo(2 * 2 * (3 + 1) + 2);
    }
  }

  /**
   * Per round: mint 1..3 of AAPL and NVDA to wallets 0-2, then wallet 0 sends 1 unit of each to
   * wallet 1.
   */
  private static void traffic(TestChain c, int round) throws Exception {
    var factory = c.factory();
    for (String symbol : List.of("AAPL", "NVDA")) {
      for (int w = 0; w < 3; w++) {
        factory.mint(symbol, DevAccounts.wallet(w).getAddress(), shares(w + 1 + round)).send();
      }
      c.token(c.tokenOf(symbol), DevAccounts.wallet(0))
          .transfer(DevAccounts.wallet(1).getAddress(), BigInteger.ONE)
          .send();
    }
  }
}
