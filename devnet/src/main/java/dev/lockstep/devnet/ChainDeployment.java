package dev.lockstep.devnet;

/**
 * Addresses of Lockstep's contracts on one chain, as deployed by {@link ContractDeployer}.
 *
 * @param chainId EIP-155 chain id
 * @param rpcUrl HTTP JSON-RPC URL of the node
 * @param usdc a payout stablecoin (6 decimals)
 * @param usdt the other payout stablecoin (6 decimals)
 * @param factory the AssetTokenFactory
 * @param orderBook the OrderBook
 * @param deployBlock the block of the first deployment transaction; indexing starts there
 */
public record ChainDeployment(
    long chainId,
    String rpcUrl,
    String usdc,
    String usdt,
    String factory,
    String orderBook,
    long deployBlock) {}
