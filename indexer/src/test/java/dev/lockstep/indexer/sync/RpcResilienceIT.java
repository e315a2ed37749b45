package dev.lockstep.indexer.sync;

import static dev.lockstep.indexer.support.TestChain.shares;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.RpcFaultProxy;
import dev.lockstep.indexer.support.Canonical;
import dev.lockstep.indexer.support.SharedDatabase;
import dev.lockstep.indexer.support.TestChain;
import dev.lockstep.indexer.support.TestIndex;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The indexer against misbehaving RPC endpoints (a fault proxy in front of real anvil). */
class RpcResilienceIT extends SharedDatabase {
  private static void traffic(TestChain c, int mints) throws Exception {
    var factory = c.factory();
    for (int i = 0; i < mints; i++) {
      factory
          .mint(i % 2 == 0 ? "AAPL" : "NVDA", DevAccounts.wallet(i % 3).getAddress(), shares(i + 1))
          .send();
    }
  }

  private static double errors(TestIndex idx, String kind) {
    return idx.registry.get("indexer.rpc.errors").tag("kind", kind).counter().count();
  }

  @Test
  void rangesShrinkOnTooManyResultsErrorsAndTheIndexStaysComplete() throws Exception {
    try (TestChain c = new TestChain(31337);
        RpcFaultProxy proxy = RpcFaultProxy.start(c.anvil.rpcUrl()).maxLogRange(4);
        TestIndex idx =
            new TestIndex(
                db, "rangelimit", c.config().rpcUrls(proxy.url()).maxBlockRange(500).build())) {
      traffic(c, 30);
      idx.start();
      idx.awaitAt(c);
      Canonical.assertMatches(c, idx);
      assertThat(proxy.refusedRanges()).isPositive();
      assertThat(errors(idx, "range")).isPositive();
    }
  }

  @Test
  void aDeadPrimaryFallsBackToTheSecondUrl() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    try (TestChain c = new TestChain(31337);
        TestIndex idx =
            new TestIndex(
                db,
                "fallback",
                c.config()
                    .rpcUrls("http://127.0.0.1:" + deadPort)
                    .fallbackRpcUrl(c.anvil.rpcUrl())
                    .build())) {
      traffic(c, 6);
      idx.start();
      idx.awaitAt(c);
      Canonical.assertMatches(c, idx);
      assertThat(errors(idx, "connection")).isPositive();
      assertThat(idx.follower().health().rpcUrl()).isEqualTo(c.anvil.rpcUrl());
    }
  }

  /**
   * Indexes six mints through a proxy holding {@code fault}: the index must equal the canonical
   * chain, and the bad answers must have been counted as inconsistent (refetched, not indexed).
   */
  private void indexThroughFaultyAnswers(
      String name, java.util.function.UnaryOperator<RpcFaultProxy> fault, int finalityDepth)
      throws Exception {
    try (TestChain c = new TestChain(31337);
        RpcFaultProxy proxy = fault.apply(RpcFaultProxy.start(c.anvil.rpcUrl()));
        TestIndex idx =
            new TestIndex(
                db, name, c.config().rpcUrls(proxy.url()).finalityDepth(finalityDepth).build())) {
      traffic(c, 6);
      idx.start();
      idx.awaitAt(c);
      Canonical.assertMatches(c, idx);
      assertThat(errors(idx, "inconsistent")).isPositive();
    }
  }

  @Test
  void logsThatDisagreeWithTheHeadersAreRefetchedNotIndexed() throws Exception {
    indexThroughFaultyAnswers("corrupt", p -> p.corruptNextLogs(3), 64);
  }

  @Test
  void logsLeftOutByABackendBehindAreCaughtByTheBloomsAndRefetched() throws Exception {
    // Every block unfinalized (finality depth 1,000): every header is fetched and bloom-checked.
    indexThroughFaultyAnswers("lagging", p -> p.lagNextLogs(2), 1000);
  }

  @Test
  void aFailingRpcShowsAsStalledAndTheLoopRecoversByItself() throws Exception {
    try (TestChain c = new TestChain(31337);
        RpcFaultProxy proxy = RpcFaultProxy.start(c.anvil.rpcUrl());
        TestIndex idx =
            new TestIndex(
                db,
                "stall",
                c.config()
                    .rpcUrls(proxy.url())
                    .requestTimeout(Duration.ofMillis(500))
                    .stallAfter(Duration.ofSeconds(2))
                    .build())) {
      traffic(c, 2);
      idx.start();
      idx.awaitAt(c);
      assertThat(idx.follower().health().status()).isEqualTo(SyncStatus.OK);

      proxy.failing(true);
      traffic(c, 2);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> idx.follower().health().status() == SyncStatus.STALLED);
      assertThat(idx.registry.get("indexer.stalled").gauge().value()).isEqualTo(1.0);
      assertThat(errors(idx, "http")).isPositive();

      proxy.failing(false).delay(Duration.ofSeconds(2));
      await().atMost(Duration.ofSeconds(30)).until(() -> errors(idx, "timeout") > 0);
      proxy.delay(Duration.ZERO);
      idx.awaitAt(c);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> idx.follower().health().status() == SyncStatus.OK);
      Canonical.assertMatches(c, idx);
    }
  }
}
