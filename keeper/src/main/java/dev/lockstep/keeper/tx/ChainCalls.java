package dev.lockstep.keeper.tx;

import dev.lockstep.keeper.tx.RevertDecoder.DecodedError;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The engine's reads of the chain: nonces, balance, receipts, simulations and gas estimates, the
 * many-item ones in JSON-RPC batches of {@value #RPC_BATCH}. Each method throws {@link IOException}
 * when the node fails or answers with an error.
 */
final class ChainCalls {
  /** Calls per JSON-RPC batch. */
  static final int RPC_BATCH = 200;

  private final EngineScope scope;
  private final Web3j web3j;

  ChainCalls(EngineScope scope) {
    this.scope = scope;
    this.web3j = scope.web3j();
  }

  /** A gas estimate that reverted, with the decoded custom error if any. */
  static final class RevertedException extends IOException {
    final Optional<DecodedError> error;

    RevertedException(Optional<DecodedError> error) {
      super("reverted: " + error);
      this.error = error;
    }
  }

  static <T> List<List<T>> chunks(List<T> all) {
    List<List<T>> out = new ArrayList<>();
    for (int k = 0; k < all.size(); k += RPC_BATCH) {
      out.add(all.subList(k, Math.min(all.size(), k + RPC_BATCH)));
    }
    return out;
  }

  /** The signer's transaction count at {@code at} (mined: LATEST; with the mempool: PENDING). */
  long nonce(DefaultBlockParameterName at) throws IOException {
    var r = web3j.ethGetTransactionCount(scope.from(), at).send();
    check(r, "eth_getTransactionCount");
    return r.getTransactionCount().longValueExact();
  }

  /** The latest block number. */
  long head() throws IOException {
    var r = web3j.ethBlockNumber().send();
    check(r, "eth_blockNumber");
    return r.getBlockNumber().longValueExact();
  }

  /** The signer's balance in wei. */
  BigInteger balanceWei() throws IOException {
    var r = web3j.ethGetBalance(scope.from(), DefaultBlockParameterName.LATEST).send();
    check(r, "eth_getBalance");
    return r.getBalance();
  }

  /** Hashes of the canonical blocks {@code numbers} the node has, by number. */
  Map<Long, String> blockHashes(java.util.Collection<Long> numbers) throws IOException {
    Map<Long, String> out = new HashMap<>();
    for (List<Long> chunk : chunks(List.copyOf(numbers))) {
      BatchRequest batch = web3j.newBatch();
      chunk.forEach(
          n ->
              batch.add(
                  web3j.ethGetBlockByNumber(
                      DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), false)));
      for (Response<?> r : batch.send().getResponses()) {
        check(r, "eth_getBlockByNumber");
        var block = ((org.web3j.protocol.core.methods.response.EthBlock) r).getBlock();
        if (block != null) {
          out.put(block.getNumber().longValueExact(), block.getHash());
        }
      }
    }
    return out;
  }

  /** Receipts of {@code hashes} that exist, by transaction hash. */
  Map<String, TransactionReceipt> receipts(List<String> hashes) throws IOException {
    Map<String, TransactionReceipt> out = new HashMap<>();
    for (List<String> chunk : chunks(hashes)) {
      BatchRequest batch = web3j.newBatch();
      chunk.forEach(h -> batch.add(web3j.ethGetTransactionReceipt(h)));
      for (Response<?> r : batch.send().getResponses()) {
        check(r, "eth_getTransactionReceipt");
        ((EthGetTransactionReceipt) r)
            .getTransactionReceipt()
            .ifPresent(t -> out.put(t.getTransactionHash(), t));
      }
    }
    return out;
  }

  /**
   * {@code eth_call} of each intent at the latest block: empty if it succeeds, else the revert (an
   * {@code UnknownRevert} when no custom error decodes).
   */
  List<Optional<DecodedError>> simulateAll(List<Intent> intents) throws IOException {
    List<Optional<DecodedError>> out = new ArrayList<>();
    for (List<Intent> chunk : chunks(intents)) {
      BatchRequest batch = web3j.newBatch();
      chunk.forEach(i -> batch.add(web3j.ethCall(call(i), DefaultBlockParameterName.LATEST)));
      for (Response<?> resp : batch.send().getResponses()) {
        EthCall r = (EthCall) resp;
        if (!r.hasError() && !r.isReverted()) {
          out.add(Optional.empty());
        } else {
          String message =
              r.hasError() ? String.valueOf(r.getError().getMessage()) : r.getRevertReason();
          out.add(
              Optional.of(
                  scope
                      .reverts()
                      .decodeError(revertData(r))
                      .orElse(new DecodedError("UnknownRevert", List.of(message)))));
        }
      }
    }
    return out;
  }

  /**
   * {@code eth_estimateGas} of each intent plus the configured headroom: a BigInteger, a {@link
   * RevertedException} or an IOException per intent.
   */
  List<Object> estimateAll(List<Intent> intents) throws IOException {
    List<Object> out = new ArrayList<>();
    BigInteger headroom = BigInteger.valueOf(100L + scope.config().gasHeadroomPercent());
    for (List<Intent> chunk : chunks(intents)) {
      BatchRequest batch = web3j.newBatch();
      chunk.forEach(i -> batch.add(estimateAtLatest(call(i))));
      for (Response<?> resp : batch.send().getResponses()) {
        EthEstimateGas r = (EthEstimateGas) resp;
        if (r.hasError()) {
          Optional<DecodedError> e =
              r.getError().getData() == null
                  ? Optional.empty()
                  : scope
                      .reverts()
                      .decodeError(String.valueOf(r.getError().getData()).replace("\"", ""));
          boolean reverted =
              e.isPresent()
                  || String.valueOf(r.getError().getMessage()).toLowerCase().contains("revert");
          out.add(
              reverted
                  ? new RevertedException(e)
                  : new IOException("eth_estimateGas: " + r.getError().getMessage()));
        } else {
          out.add(r.getAmountUsed().multiply(headroom).divide(BigInteger.valueOf(100)));
        }
      }
    }
    return out;
  }

  /**
   * {@code eth_estimateGas} at the latest block, as the simulation runs. Without a block a node
   * estimates against its pending block (anvil builds it from the whole transaction pool for every
   * call, so with a thousand settles in flight each estimate executed them all again, and a round's
   * estimates took seconds); web3j's request takes no block, so the parameter is added to it.
   */
  @SuppressWarnings("unchecked")
  private Request<?, EthEstimateGas> estimateAtLatest(Transaction tx) {
    Request<Object, EthEstimateGas> r = (Request<Object, EthEstimateGas>) web3j.ethEstimateGas(tx);
    r.setParams(List.of(tx, DefaultBlockParameterName.LATEST.getValue()));
    return r;
  }

  /** The custom error the intent's call reverts with at {@code block}, if it reverts. */
  Optional<DecodedError> revertAt(Intent i, DefaultBlockParameter block) throws IOException {
    EthCall r = web3j.ethCall(call(i), block).send();
    if (!r.hasError() && !r.isReverted()) {
      return Optional.empty();
    }
    return scope.reverts().decodeError(revertData(r));
  }

  private Transaction call(Intent i) {
    return Transaction.createEthCallTransaction(scope.from(), i.target(), i.callData());
  }

  private static String revertData(EthCall r) {
    if (r.hasError() && r.getError().getData() != null) {
      String d = String.valueOf(r.getError().getData()).replace("\"", "");
      return d.startsWith("0x") ? d : null;
    }
    return r.getValue();
  }

  static void check(Response<?> r, String what) throws IOException {
    if (r.hasError()) {
      throw new IOException(what + ": " + r.getError().getMessage());
    }
  }
}
