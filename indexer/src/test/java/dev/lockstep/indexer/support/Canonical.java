package dev.lockstep.indexer.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.contracts.generated.AssetToken;
import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.indexer.decode.LogDecoder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;

/** Asserts that an index equals what the chain says now: supplies, balances, orders, transfers. */
public final class Canonical {
  private static final String[] STATUS = {"none", "queued", "active", "settled", "cancelled"};

  private Canonical() {}

  public static void assertMatches(TestChain c, TestIndex idx) throws Exception {
    long head = c.head();
    var tokens =
        idx.jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT address, total_supply FROM indexer.tokens WHERE chain_id = :c")
                    .bind("c", c.chainId)
                    .map(
                        (rs, ctx) ->
                            Map.entry(rs.getString(1), rs.getBigDecimal(2).toBigIntegerExact()))
                    .list());
    List<String> indexedHolders =
        idx.jdbi.withHandle(
            h ->
                h.createQuery("SELECT DISTINCT holder FROM indexer.balances WHERE chain_id = :c")
                    .bind("c", c.chainId)
                    .mapTo(String.class)
                    .list());
    Set<String> holders = new TreeSet<String>(indexedHolders);
    for (int w = 0; w < 5; w++) holders.add(DevAccounts.wallet(w).getAddress().toLowerCase());
    holders.add(c.d.orderBook().toLowerCase());
    for (var t : tokens) {
      AssetToken token = c.token(t.getKey(), DevAccounts.admin());
      assertThat(t.getValue())
          .as("total supply of " + t.getKey())
          .isEqualTo(token.totalSupply().send());
      for (String holder : holders) {
        BigInteger indexed =
            idx.jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT amount FROM indexer.balances WHERE chain_id = :c AND token = :t AND holder = :h")
                        .bind("c", c.chainId)
                        .bind("t", t.getKey())
                        .bind("h", holder)
                        .mapTo(BigDecimal.class)
                        .findOne()
                        .map(BigDecimal::toBigIntegerExact)
                        .orElse(BigInteger.ZERO));
        assertThat(indexed)
            .as("balance of " + holder + " in " + t.getKey())
            .isEqualTo(token.balanceOf(holder).send());
      }
    }
    // Asset tokens: exactly those the factory has deployed.
    List<String> onChainTokens = new ArrayList<>();
    var factory = c.factory();
    long count = factory.tokenCount().send().longValueExact();
    for (long i = 0; i < count; i++)
      onChainTokens.add(factory.tokenAt(BigInteger.valueOf(i)).send().toLowerCase());
    List<String> indexedAssets =
        idx.jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT address FROM indexer.tokens WHERE chain_id = :c AND kind = 'asset'")
                    .bind("c", c.chainId)
                    .mapTo(String.class)
                    .list());
    assertThat(indexedAssets).containsExactlyInAnyOrderElementsOf(onChainTokens);

    OrderBook book = c.book(DevAccounts.admin());
    long next = book.nextOrderId().send().longValueExact();
    List<String> chainOrders = new ArrayList<>();
    for (long id = 1; id < next; id++) {
      chainOrders.add(id + ":" + STATUS[book.statusOf(BigInteger.valueOf(id)).send().intValue()]);
    }
    List<String> indexedOrders =
        idx.jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT order_id || ':' || status FROM indexer.orders WHERE chain_id = :c ORDER BY order_id")
                    .bind("c", c.chainId)
                    .mapTo(String.class)
                    .list());
    assertThat(indexedOrders).as("orders").containsExactlyElementsOf(chainOrders);

    // Every Transfer log of the indexed tokens, fetched again, is indexed exactly once.
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(c.d.deployBlock())),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(head)),
            tokens.stream().map(Map.Entry::getKey).toList());
    filter.addSingleTopic(LogDecoder.TRANSFER);
    List<String> chainTransfers =
        c.web3j.ethGetLogs(filter).send().getLogs().stream()
            .map(l -> (org.web3j.protocol.core.methods.response.Log) l.get())
            .map(
                l ->
                    l.getBlockNumber()
                        + ":"
                        + l.getLogIndex()
                        + ":"
                        + l.getBlockHash().toLowerCase())
            .toList();
    List<String> indexedTransfers =
        idx.jdbi.withHandle(
            h ->
                h.createQuery(
                        """
            SELECT block_number || ':' || log_index || ':' || block_hash FROM indexer.transfers
            WHERE chain_id = :c ORDER BY block_number, log_index""")
                    .bind("c", c.chainId)
                    .mapTo(String.class)
                    .list());
    assertThat(indexedTransfers).as("transfers").containsExactlyElementsOf(chainTransfers);
  }
}
