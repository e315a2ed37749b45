package dev.lockstep.indexer.support;

import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.AssetTokenFactory;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.devnet.AnvilNode;
import dev.lockstep.devnet.ChainDeployment;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.indexer.config.ChainConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * A real anvil chain with Lockstep's contracts deployed, for indexer tests: contract handles per
 * account, and anvil's snapshot/revert/mine methods to build reorgs.
 */
public final class TestChain implements AutoCloseable {
  public final long chainId;
  public final AnvilNode anvil;
  public final ChainDeployment d;
  public final Web3j web3j;
  public final ContractGasProvider gas;

  public TestChain(long chainId) {
    this.chainId = chainId;
    this.anvil = AnvilNode.start(chainId, Optional.empty());
    this.d = ContractDeployer.deploy(anvil.rpcUrl(), chainId, Duration.ofHours(1));
    this.web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
    this.gas = ContractDeployer.devnetGas(chainId);
  }

  /** Indexer configuration for this chain: USDC and USDT, from the deployment block. */
  public ChainConfig.Builder config() {
    return ChainConfig.builder(chainId, anvil.rpcUrl(), d.factory(), d.orderBook())
        .name("test-" + chainId)
        .startBlock(d.deployBlock())
        .finalityDepth(64)
        .stablecoin("USDC", d.usdc(), 6)
        .stablecoin("USDT", d.usdt(), 6)
        .pollInterval(Duration.ofMillis(50))
        .maxBlockRange(50);
  }

  public AssetTokenFactory factory() {
    return AssetTokenFactory.load(
        d.factory(),
        web3j,
        ContractDeployer.transactionManager(web3j, DevAccounts.minter(), chainId),
        gas);
  }

  public OrderBook book(Credentials as) {
    return OrderBook.load(
        d.orderBook(), web3j, ContractDeployer.transactionManager(web3j, as, chainId), gas);
  }

  public AssetToken token(String address, Credentials as) {
    return AssetToken.load(
        address, web3j, ContractDeployer.transactionManager(web3j, as, chainId), gas);
  }

  public String tokenOf(String symbol) throws Exception {
    return factory().tokenOf(symbol).send().toLowerCase();
  }

  public long head() throws IOException {
    return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
  }

  /** {@code evm_snapshot}: the id to revert to. */
  public String snapshot() {
    return anvil.snapshot();
  }

  /** {@code evm_revert}: the chain goes back to the snapshot's block; later blocks are gone. */
  public void revert(String snapshotId) {
    anvil.revert(snapshotId);
  }

  /** Mines {@code n} empty blocks ({@code anvil_mine}). */
  public void mine(int n) {
    anvil.mine(n);
  }

  /** 1 share of an asset token (6 decimals). */
  public static BigInteger shares(long n) {
    return BigInteger.valueOf(n).multiply(BigInteger.TEN.pow(6));
  }

  @Override
  public void close() {
    web3j.shutdown();
    anvil.close();
  }
}
