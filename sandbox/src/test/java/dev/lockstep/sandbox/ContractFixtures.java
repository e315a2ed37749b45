package dev.lockstep.sandbox;

import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** On-chain setup for API tests on the sandbox's demo chain (Base). */
final class ContractFixtures {
  private ContractFixtures() {}

  /**
   * Mints {@code baseUnits} of asset {@code symbol} to {@code wallet} with the factory's minter key
   * (the keeper holds no minter role).
   */
  static void mint(Sandbox sandbox, String symbol, String wallet, long baseUnits) throws Exception {
    ChainDeployment d = sandbox.deployment();
    custody(sandbox, symbol, BigInteger.valueOf(baseUnits));
    Web3j web3j = Web3j.build(new HttpService(d.rpcUrl()));
    try {
      relayReserve(sandbox, web3j, symbol);
      AssetTokenFactory.load(
              d.factory(),
              web3j,
              ContractDeployer.transactionManager(web3j, DevAccounts.minter(), d.chainId()),
              ContractDeployer.devnetGas(d.chainId()))
          .mint(symbol, wallet, BigInteger.valueOf(baseUnits))
          .send();
    } finally {
      web3j.shutdown();
    }
    // Mined is not yet indexed: the API (a quote naming the token) reads the index.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(50))
        .until(
            () ->
                sandbox.daemon().index().balancesOf(wallet.toLowerCase()).stream()
                    .anyMatch(
                        b ->
                            b.chainId() == d.chainId()
                                && b.symbol().equals(symbol)
                                && b.amount().compareTo(BigInteger.valueOf(baseUnits)) >= 0));
  }

  /**
   * Holdings the factory's minter seeds are custodied by the broker like any other: the simulated
   * broker records them, so the daily reconciliation of a test that crosses midnight matches.
   */
  static void custody(Sandbox sandbox, String symbol, BigInteger baseUnits) {
    sandbox
        .daemon()
        .broker()
        .deposit(
            sandbox.deployment().chainId(), symbol, baseUnits, "seeded by the factory's minter");
  }

  /**
   * Once {@code symbol}'s proof-of-reserve feed has an answer, the factory refuses mints above it:
   * as the broker would once its custody grew, relays its signed custody now (the relayer is the
   * minter; anyone may relay).
   */
  static void relayReserve(Sandbox sandbox, Web3j web3j, String symbol) throws Exception {
    ChainDeployment d = sandbox.deployment();
    var factory =
        AssetTokenFactory.load(
            d.factory(),
            web3j,
            ContractDeployer.transactionManager(web3j, DevAccounts.minter(), d.chainId()),
            ContractDeployer.devnetGas(d.chainId()));
    String token = factory.tokenOf(symbol).send();
    if (new BigInteger(token.substring(2), 16).signum() == 0) {
      return; // not deployed: no feed yet
    }
    String feed = factory.reserveFeedOf(symbol).send();
    var latest =
        dev.lockstep.contracts.generated.ReserveFeed.load(
                feed,
                web3j,
                new org.web3j.tx.ReadonlyTransactionManager(web3j, feed),
                ContractDeployer.devnetGas(d.chainId()))
            .latestRoundData()
            .send();
    if (latest.component1().signum() == 0) {
      return; // no answer yet: no cap
    }
    long asOf =
        Math.max(
            sandbox.daemon().clock().instant().getEpochSecond() + 1,
            latest.component4().longValueExact() + 1);
    var report =
        sandbox
            .daemon()
            .broker()
            .reserveReport(
                d.chainId(),
                symbol,
                token,
                feed,
                java.time.Instant.ofEpochSecond(asOf),
                latest.component1().longValueExact() + 1)
            .orElseThrow();
    var r =
        factory
            .reportReserve(
                symbol,
                report.shares(),
                BigInteger.valueOf(report.asOf()),
                report.attester(),
                org.web3j.utils.Numeric.hexStringToByteArray(report.signature()))
            .send();
    if (!r.isStatusOK()) {
      throw new IllegalStateException("reportReserve reverted: " + r.getTransactionHash());
    }
  }

  /**
   * Funds {@code holder} with {@code baseUnits} of {@code symbol} and has it create a redeem for
   * USDC; returns the order id.
   */
  static long createRedeem(Sandbox sandbox, Credentials holder, String symbol, long baseUnits)
      throws Exception {
    ChainDeployment d = sandbox.deployment();
    Web3j web3j = Web3j.build(new HttpService(d.rpcUrl()));
    try {
      BigInteger q = BigInteger.valueOf(baseUnits);
      custody(sandbox, symbol, q);
      relayReserve(sandbox, web3j, symbol);
      String token = ContractDeployer.fundRedeemer(web3j, d, holder, symbol, q);
      var receipt =
          OrderBook.load(
                  d.orderBook(),
                  web3j,
                  ContractDeployer.transactionManager(web3j, holder, d.chainId()),
                  ContractDeployer.devnetGas(d.chainId()))
              .createRedeem(token, q, d.usdc(), BigInteger.ONE, holder.getAddress())
              .send();
      return OrderBook.getOrderCreatedEvents(receipt).getFirst().orderId.longValueExact();
    } finally {
      web3j.shutdown();
    }
  }
}
