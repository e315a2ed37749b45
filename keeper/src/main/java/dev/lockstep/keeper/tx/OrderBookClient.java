package dev.lockstep.keeper.tx;

import dev.lockstep.contracts.generated.OrderBook;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * The keeper's side of one chain's OrderBook: reads an order's on-chain status and sends promote,
 * settle and cancel from the keeper key. Each send is simulated with {@code eth_call} first, so a
 * call that would revert (for example because the order already reached a terminal state) is
 * reported as {@link TxOutcome.Reverted} with its decoded custom error and never broadcast.
 * Receipts are polled every {@code receiptPoll} (web3j's default of 15 s is far too slow for a
 * local chain). Fees are the configured static EIP-1559 caps; fee estimation and replacement of
 * stuck transactions are issue #4.
 */
public final class OrderBookClient {
  private static final Logger log = LoggerFactory.getLogger(OrderBookClient.class);
  private static final RevertDecoder REVERTS = new RevertDecoder(OrderBook.class);

  private final Web3j web3j;
  private final long chainId;
  private final String orderBook;
  private final Credentials keeper;
  private final FeePolicy fees;
  private final RawTransactionManager txManager;
  private final TransactionReceiptProcessor receipts;

  public OrderBookClient(Web3j web3j, long chainId, String orderBook, Credentials keeper, FeePolicy fees) {
    this.web3j = web3j;
    this.chainId = chainId;
    this.orderBook = orderBook;
    this.keeper = keeper;
    this.fees = fees;
    this.receipts = new PollingTransactionReceiptProcessor(web3j, fees.receiptPoll().toMillis(), 600);
    this.txManager = new RawTransactionManager(web3j, keeper, chainId, receipts);
  }

  /** On-chain status of {@code orderId} (NONE if it does not exist), read at the latest block. */
  public OrderStatus status(long orderId) throws IOException {
    Function f = new Function("statusOf", List.of(new Uint256(orderId)), List.of(new TypeReference<Uint256>() {}));
    EthCall r = web3j.ethCall(Transaction.createEthCallTransaction(keeper.getAddress(), orderBook,
        FunctionEncoder.encode(f)), DefaultBlockParameterName.LATEST).send();
    if (r.hasError()) {
      throw new IOException("statusOf(" + orderId + ") failed: " + r.getError().getMessage());
    }
    return OrderStatus.values()[new BigInteger(r.getValue().substring(2), 16).intValueExact()];
  }

  /** Sends {@code promote(orderId)}. */
  public TxOutcome promote(long orderId) throws IOException {
    return send("promote", new Function("promote", List.of(new Uint256(orderId)), List.of()));
  }

  /** Sends {@code settle(orderId, grossNotional)}; {@code grossNotional} in payout-token base units. */
  public TxOutcome settle(long orderId, BigInteger grossNotional) throws IOException {
    return send("settle", new Function("settle", List.of(new Uint256(orderId), new Uint256(grossNotional)), List.of()));
  }

  /** Sends {@code cancel(orderId)}. */
  public TxOutcome cancel(long orderId) throws IOException {
    return send("cancel", new Function("cancel", List.of(new Uint256(orderId)), List.of()));
  }

  private TxOutcome send(String what, Function function) throws IOException {
    String data = FunctionEncoder.encode(function);
    EthCall sim = web3j.ethCall(Transaction.createEthCallTransaction(keeper.getAddress(), orderBook, data),
        DefaultBlockParameterName.LATEST).send();
    if (sim.hasError() || sim.isReverted()) {
      String raw = sim.hasError() && sim.getError().getData() != null ? sim.getError().getData().toString() : sim.getValue();
      String reason = REVERTS.decode(raw).orElse(sim.hasError() ? sim.getError().getMessage() : sim.getRevertReason());
      return new TxOutcome.Reverted(null, reason);
    }
    EthSendTransaction sent = txManager.sendEIP1559Transaction(chainId, fees.maxPriorityFeePerGasWei(),
        fees.maxFeePerGasWei(), fees.gasLimit(), orderBook, data, BigInteger.ZERO);
    if (sent.hasError()) {
      throw new IOException(what + " rejected by node: " + sent.getError().getMessage());
    }
    String hash = sent.getTransactionHash();
    log.info("keeper chainId={} sent {} tx={}", chainId, what, hash);
    try {
      TransactionReceipt r = receipts.waitForTransactionReceipt(hash);
      if (r.isStatusOK()) {
        return new TxOutcome.Confirmed(hash, r.getBlockNumber().longValueExact());
      }
      return new TxOutcome.Reverted(hash, REVERTS.decode(r.getRevertReason()).orElse(String.valueOf(r.getRevertReason())));
    } catch (TransactionException e) {
      throw new IOException(what + " tx " + hash + " not mined: " + e.getMessage(), e);
    }
  }
}
