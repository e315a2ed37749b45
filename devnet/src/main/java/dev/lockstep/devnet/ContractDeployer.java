package dev.lockstep.devnet;

import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.contracts.generated.TestStablecoin;
import java.math.BigInteger;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Deploys and wires Lockstep's contracts on a local chain the way the sandbox runs them, every role
 * its own key: USDC and USDT test stablecoins, AssetTokenFactory, OrderBook (recovery window as
 * given), the keeper granted KEEPER_ROLE on the book (and nothing else), the broker's attester
 * ({@link DevAccounts#attester}) ATTESTER_ROLE on the book and RESERVE_ATTESTER_ROLE on the factory
 * (proof of reserve; {@link #MAX_RESERVE_AGE}), {@link DevAccounts#minter} MINTER_ROLE and {@link
 * DevAccounts#pauser} PAUSER_ROLE on the factory, the book MINTER_ROLE (settled mint orders) and
 * BURNER_ROLE (settled redeems), USDC and USDT accepted, both payout pools funded, the admin the
 * treasury, and the session open.
 */
public final class ContractDeployer {
  private static final Logger log = LoggerFactory.getLogger(ContractDeployer.class);

  /** Minted into the order book's payout pool per stablecoin: 10,000,000 in base units. */
  public static final BigInteger POOL_USDC =
      BigInteger.valueOf(10_000_000L).multiply(BigInteger.TEN.pow(6));

  /**
   * The factory's {@code maxReserveAge}: a token's reserve older than this stops its minting. Two
   * days: the daily reconciliation refreshes every feed, so one missed run does not stop minting.
   */
  public static final Duration MAX_RESERVE_AGE = Duration.ofDays(2);

  private ContractDeployer() {}

  /**
   * Deploys on the chain behind {@code rpcUrl} with {@link DevAccounts#admin()}.
   *
   * @param recoveryWindow delay after which an owner may cancel its own open order
   * @throws DevnetException if a deployment transaction fails
   */
  public static ChainDeployment deploy(String rpcUrl, long chainId, Duration recoveryWindow) {
    Web3j web3j = Web3j.build(new HttpService(rpcUrl));
    try {
      Credentials admin = DevAccounts.admin();
      TransactionManager tm = transactionManager(web3j, admin, chainId);
      ContractGasProvider gas = devnetGas(chainId);
      long startBlock = web3j.ethBlockNumber().send().getBlockNumber().longValueExact() + 1;

      TestStablecoin usdc =
          TestStablecoin.deploy(web3j, tm, gas, "USD Coin", "USDC", admin.getAddress()).send();
      TestStablecoin usdt =
          TestStablecoin.deploy(web3j, tm, gas, "Tether USD", "USDT", admin.getAddress()).send();
      AssetTokenFactory factory =
          AssetTokenFactory.deploy(web3j, tm, gas, admin.getAddress()).send();
      OrderBook book =
          OrderBook.deploy(
                  web3j,
                  tm,
                  gas,
                  admin.getAddress(),
                  factory.getContractAddress(),
                  BigInteger.valueOf(recoveryWindow.toSeconds()))
              .send();

      String keeper = DevAccounts.keeper().getAddress();
      byte[] minterRole = factory.MINTER_ROLE().send();
      check(factory.grantRole(minterRole, DevAccounts.minter().getAddress()).send());
      check(factory.grantRole(minterRole, book.getContractAddress()).send());
      check(
          factory
              .grantRole(factory.PAUSER_ROLE().send(), DevAccounts.pauser().getAddress())
              .send());
      check(factory.grantRole(factory.BURNER_ROLE().send(), book.getContractAddress()).send());
      // The broker's attester also signs its custody for each token's proof-of-reserve feed.
      check(
          factory
              .grantRole(
                  dev.lockstep.contracts.ReserveReport.ATTESTER_ROLE,
                  DevAccounts.attester().getAddress())
              .send());
      check(factory.setMaxReserveAge(BigInteger.valueOf(MAX_RESERVE_AGE.toSeconds())).send());
      check(book.grantRole(book.KEEPER_ROLE().send(), keeper).send());
      check(
          book.grantRole(book.ATTESTER_ROLE().send(), DevAccounts.attester().getAddress()).send());
      for (TestStablecoin stable : java.util.List.of(usdc, usdt)) {
        check(book.setPayoutCurrency(stable.getContractAddress(), true).send());
        check(stable.mint(book.getContractAddress(), POOL_USDC).send());
      }

      OrderBook asKeeper =
          OrderBook.load(
              book.getContractAddress(),
              web3j,
              transactionManager(web3j, DevAccounts.keeper(), chainId),
              gas);
      check(asKeeper.setSessionOpen(true).send());

      ChainDeployment d =
          new ChainDeployment(
              chainId,
              rpcUrl,
              usdc.getContractAddress(),
              usdt.getContractAddress(),
              factory.getContractAddress(),
              book.getContractAddress(),
              startBlock);
      log.info("deployed on chainId={}: {}", chainId, d);
      return d;
    } catch (DevnetException e) {
      throw e;
    } catch (Exception e) {
      throw new DevnetException("deployment on chain " + chainId + " failed: " + e.getMessage(), e);
    } finally {
      web3j.shutdown();
    }
  }

  /** A raw-transaction manager that polls receipts every 100 ms (web3j's default waits 15 s). */
  public static TransactionManager transactionManager(
      Web3j web3j, Credentials credentials, long chainId) {
    return new RawTransactionManager(
        web3j, credentials, chainId, new PollingTransactionReceiptProcessor(web3j, 100, 600));
  }

  /** Static EIP-1559 fees that any local anvil accepts: 50 gwei cap, 1 gwei tip, 12M gas. */
  /**
   * Gives {@code owner} {@code quantity} base units of asset {@code symbol} (minted by {@link
   * DevAccounts#minter}; deployed on first mint) and approves the order book for them, ready for
   * {@code createRedeem}.
   *
   * @return the asset token's address
   */
  public static String fundRedeemer(
      Web3j web3j, ChainDeployment d, Credentials owner, String symbol, BigInteger quantity)
      throws Exception {
    ContractGasProvider gas = devnetGas(d.chainId());
    AssetTokenFactory factory =
        AssetTokenFactory.load(
            d.factory(), web3j, transactionManager(web3j, DevAccounts.minter(), d.chainId()), gas);
    check(factory.mint(symbol, owner.getAddress(), quantity).send());
    String token = factory.tokenOf(symbol).send();
    check(
        AssetToken.load(token, web3j, transactionManager(web3j, owner, d.chainId()), gas)
            .approve(d.orderBook(), quantity)
            .send());
    return token;
  }

  /**
   * Settles order {@code orderId} at {@code grossNotional} (no costs) through {@code keeperBook}
   * (an order book loaded with the keeper's key), with the fill attested by {@link
   * DevAccounts#attester} for the order's quantity on chain, valid for a day: what the simulated
   * broker and the keeper do together, for tests that settle directly.
   */
  public static org.web3j.protocol.core.methods.response.TransactionReceipt settle(
      OrderBook keeperBook, long chainId, long orderId, BigInteger grossNotional) throws Exception {
    BigInteger quantity = keeperBook.getOrder(BigInteger.valueOf(orderId)).send().quantity;
    dev.lockstep.contracts.FillAttestation f =
        dev.lockstep.contracts.FillAttestation.sign(
            DevAccounts.attester(),
            chainId,
            keeperBook.getContractAddress(),
            orderId,
            quantity,
            grossNotional,
            BigInteger.ZERO,
            java.time.Instant.now().plus(Duration.ofDays(1)).getEpochSecond());
    return keeperBook
        .settle(
            f.fill(),
            f.attester(),
            org.web3j.utils.Numeric.hexStringToByteArray(f.signature()),
            BigInteger.ZERO)
        .send();
  }

  public static ContractGasProvider devnetGas(long chainId) {
    return new StaticEIP1559GasProvider(
        chainId,
        BigInteger.valueOf(50_000_000_000L),
        BigInteger.valueOf(1_000_000_000L),
        BigInteger.valueOf(12_000_000L));
  }

  private static void check(TransactionReceipt r) {
    if (!r.isStatusOK()) {
      throw new DevnetException("transaction " + r.getTransactionHash() + " reverted");
    }
  }
}
