package dev.lockstep.indexer.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.indexer.support.TestChain;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

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
      for (long n = 0; n <= head; n++) {
        EthBlock.Block block =
            c.web3j
                .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), false)
                .send()
                .getBlock();
        List<TransactionReceipt> receipts =
            c.web3j
                .ethGetBlockReceipts(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)))
                .send()
                .getBlockReceipts()
                .orElseThrow();
        assertThat(ReceiptsRoot.of(receipts)).as("block " + n).isEqualTo(block.getReceiptsRoot());
        checked += receipts.size();
      }
      assertThat(checked).as("receipts checked").isGreaterThan(150);

      // Leaving one log out changes the root.
      List<TransactionReceipt> busy =
          c.web3j
              .ethGetBlockReceipts(DefaultBlockParameter.valueOf(BigInteger.valueOf(head - 1)))
              .send()
              .getBlockReceipts()
              .orElseThrow();
      assertThat(busy).hasSize(150);
      String root = ReceiptsRoot.of(busy);
      busy.getFirst().setLogs(List.of());
      assertThat(ReceiptsRoot.of(busy)).isNotEqualTo(root);
    }
  }
}
