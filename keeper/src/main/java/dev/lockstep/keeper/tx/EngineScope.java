package dev.lockstep.keeper.tx;

import dev.lockstep.keeper.KeeperMetrics;
import dev.lockstep.keeper.tx.RevertDecoder.DecodedError;
import java.time.Clock;
import java.util.function.Predicate;
import org.web3j.protocol.Web3j;

/**
 * What every stage of one {@link TxEngine} shares: the chain and its node, the signer and its
 * policy, the durable stores, the settings, and this daemon's identity in nonce leases.
 *
 * @param from the signer's address, lowercase 0x-hex
 * @param alreadyDone whether a custom error means the call's purpose is already achieved by someone
 *     else (for example settle of an order that is already settled)
 * @param holder this daemon's identity in nonce leases
 */
record EngineScope(
    long chainId,
    Web3j web3j,
    TxSigner signer,
    String from,
    SignerPolicy policy,
    TxStore store,
    TxEngineConfig config,
    FeeOracle fees,
    KeeperMetrics metrics,
    RevertDecoder reverts,
    Predicate<DecodedError> alreadyDone,
    String holder,
    Clock clock) {}
