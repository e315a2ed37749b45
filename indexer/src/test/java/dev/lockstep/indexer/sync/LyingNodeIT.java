package dev.lockstep.indexer.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.contracts.generated.BenchToken;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.devnet.RpcFaultProxy;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.model.LogVerification;
import dev.lockstep.indexer.model.TokenKind;
import dev.lockstep.indexer.support.Canonical;
import dev.lockstep.indexer.support.SharedDatabase;
import dev.lockstep.indexer.support.TestChain;
import dev.lockstep.indexer.support.TestIndex;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * A node that leaves logs out (issue #13): behind a proxy that drops one log from half of all
 * {@code eth_getLogs} answers (range and by-hash alike), in dense blocks where the bloom cannot
 * tell (hundreds of logs of one contract per block), the indexer in {@code receipts} mode loses
 * nothing: every answer is checked against the block's receipts and their root, and an incomplete
 * one is fetched again.
 */
class LyingNodeIT extends SharedDatabase {
  private static final int TXS = 15;
  private static final int PER_TX = 200;

  @Test
  void receiptsVerificationLosesNoLogBehindANodeThatDropsThem() throws Exception {
    try (TestChain c = new TestChain(31337)) {
      BenchToken token = benchToken(c);
      long tokenBlock = c.head();
      for (int i = 0; i < TXS; i++) {
        token
            .spray(
                BigInteger.valueOf(i % 3),
                BigInteger.valueOf(40),
                BigInteger.valueOf(PER_TX),
                BigInteger.valueOf(1_000 + i))
            .send();
      }
      try (RpcFaultProxy proxy = RpcFaultProxy.start(c.anvil.rpcUrl()).dropLogs(0.5, 7);
          TestIndex idx =
              new TestIndex(
                  db,
                  "lying",
                  c.config()
                      .rpcUrls(proxy.url())
                      .verification(LogVerification.RECEIPTS)
                      .maxBlockRange(2)
                      .token(
                          new ChainConfig.Erc20(
                              "BT", token.getContractAddress(), 6, TokenKind.ERC20, tokenBlock))
                      .build())) {
        idx.start();
        idx.awaitAt(c);
        long transfers =
            idx.jdbi.withHandle(
                h ->
                    h.createQuery("SELECT count(*) FROM indexer.transfers WHERE token = :t")
                        .bind("t", token.getContractAddress().toLowerCase())
                        .mapTo(Long.class)
                        .one());
        assertThat(transfers)
            .as("the mint and every sprayed transfer")
            .isEqualTo(1 + (long) TXS * PER_TX);
        assertThat(proxy.droppedLogs()).as("logs the node left out").isGreaterThan(3);
        assertThat(
                idx.registry
                    .get("indexer.rpc.errors")
                    .tag("kind", "inconsistent")
                    .counter()
                    .count())
            .as("incomplete answers caught")
            .isGreaterThanOrEqualTo(1);
        Canonical.assertMatches(c, idx);
      }
    }
  }

  @Test
  void aNodeThatKeepsLyingShowsDegradedWithTheReasonAndTheChainResumesByItself() throws Exception {
    try (TestChain c = new TestChain(31337)) {
      BenchToken token = benchToken(c);
      long tokenBlock = c.head();
      for (int i = 0; i < 3; i++) {
        token.spray(BigInteger.ONE, BigInteger.TEN, BigInteger.valueOf(50), BigInteger.ONE).send();
      }
      try (RpcFaultProxy proxy = RpcFaultProxy.start(c.anvil.rpcUrl()).dropLogs(1.0, 3);
          TestIndex idx =
              new TestIndex(
                  db,
                  "lying-always",
                  c.config()
                      .rpcUrls(proxy.url())
                      .verification(LogVerification.RECEIPTS)
                      .token(
                          new ChainConfig.Erc20(
                              "BT", token.getContractAddress(), 6, TokenKind.ERC20, tokenBlock))
                      .build())) {
        idx.start();
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(30))
            .until(() -> idx.follower().health().status() == SyncStatus.DEGRADED);
        assertThat(idx.follower().health().lastError())
            .hasValueSatisfying(e -> assertThat(e).contains("left out"));
        assertThat(idx.follower().health().unhealthy()).isTrue();

        proxy.dropLogs(0, 3); // the node answers completely again
        idx.awaitAt(c);
        assertThat(idx.follower().health().status()).isEqualTo(SyncStatus.OK);
        Canonical.assertMatches(c, idx);
      }
    }
  }

  /** A plain ERC-20 whose {@code spray} puts many logs of one contract in one block. */
  private static BenchToken benchToken(TestChain c) throws Exception {
    return BenchToken.deploy(
            c.web3j,
            ContractDeployer.transactionManager(c.web3j, DevAccounts.admin(), c.chainId),
            c.gas,
            "BT",
            BigInteger.TEN.pow(30))
        .send();
  }
}
