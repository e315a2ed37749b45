package dev.lockstep.indexer.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.indexer.support.TestChain;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;

/** The receipts root computed from a block's receipts equals the one in its header, on anvil. */
class ReceiptsRootIT {
  @Test
  void everyBlockOfADeployedChainAndABlockOf150MixedTransactionsMatchTheirHeaders()
      throws Exception {
    try (TestChain c = new TestChain(31337)) {
      // 150 transactions in one block (receipt keys past 127 take two RLP bytes): approvals,
      // which log, and plain value transfers, which do not.
      c.anvil.automine(false);
      String from = DevAccounts.wallet(3).getAddress();
      String approve =
          FunctionEncoder.encode(
              new Function(
                  "approve",
                  List.of(new Address(DevAccounts.wallet(4).getAddress()), new Uint256(1)),
                  List.of()));
      BigInteger nonce =
          c.web3j
              .ethGetTransactionCount(
                  from, org.web3j.protocol.core.DefaultBlockParameterName.PENDING)
              .send()
              .getTransactionCount();
      for (int i = 0; i < 150; i++) {
        Transaction tx =
            i % 2 == 0
                ? Transaction.createFunctionCallTransaction(
                    from,
                    nonce.add(BigInteger.valueOf(i)),
                    BigInteger.valueOf(2_000_000_000L),
                    BigInteger.valueOf(100_000),
                    c.d.usdc(),
                    approve)
                : Transaction.createEtherTransaction(
                    from,
                    nonce.add(BigInteger.valueOf(i)),
                    BigInteger.valueOf(2_000_000_000L),
                    BigInteger.valueOf(21_000),
                    DevAccounts.wallet(5).getAddress(),
                    BigInteger.ONE);
        assertThat(c.web3j.ethSendTransaction(tx).send().hasError()).isFalse();
      }
      c.anvil.mine(1);
      c.anvil.automine(true);
      c.anvil.mine(1); // and an empty block

      long head = c.head();
      int checked = 0;
      try (ChainRpc rpc =
          new ChainRpc(List.of(c.anvil.rpcUrl()), Duration.ofSeconds(10), 2, e -> {})) {
        List<EthBlock.Block> blocks = new ArrayList<>();
        for (long n = 0; n <= head; n++) {
          blocks.add(
              c.web3j
                  .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), false)
                  .send()
                  .getBlock());
        }
        // In batches as the indexer asks for them, parsed by its streaming parser.
        for (int i = 0; i < blocks.size(); i += ChainRpc.RECEIPTS_CHUNK) {
          List<EthBlock.Block> chunk =
              blocks.subList(i, Math.min(blocks.size(), i + ChainRpc.RECEIPTS_CHUNK));
          List<List<RpcReceipt>> receipts =
              rpc.blockReceipts(chunk.stream().map(EthBlock.Block::getHash).toList());
          for (int k = 0; k < chunk.size(); k++) {
            assertThat(ReceiptsRoot.of(receipts.get(k)))
                .as("block " + chunk.get(k).getNumber())
                .isEqualTo(chunk.get(k).getReceiptsRoot());
            assertThat(receipts.get(k)).hasSize(chunk.get(k).getTransactions().size());
            checked += receipts.get(k).size();
          }
        }
        assertThat(checked).as("receipts checked").isGreaterThan(150);

        // Leaving one log out changes the root; so does altering a log's data.
        List<RpcReceipt> busy =
            rpc.blockReceipts(List.of(blocks.get((int) head - 1).getHash())).getFirst();
        assertThat(busy).hasSize(150);
        String root = ReceiptsRoot.of(busy);
        assertThat(busy.getFirst().logs()).hasSize(1);
        List<RpcReceipt> dropped = new ArrayList<>(busy);
        dropped.set(0, busy.getFirst().withLogs(List.of()));
        assertThat(ReceiptsRoot.of(dropped)).isNotEqualTo(root);
        RawLog l = busy.getFirst().logs().getFirst();
        RawLog altered =
            new RawLog(
                l.address(),
                l.topics(),
                l.data().substring(0, l.data().length() - 1) + (l.data().endsWith("1") ? "2" : "1"),
                l.blockNumber(),
                l.blockHash(),
                l.transactionHash(),
                l.logIndex(),
                false);
        List<RpcReceipt> changed = new ArrayList<>(busy);
        changed.set(0, busy.getFirst().withLogs(List.of(altered)));
        assertThat(ReceiptsRoot.of(changed)).isNotEqualTo(root);
      }
    }
  }
}
