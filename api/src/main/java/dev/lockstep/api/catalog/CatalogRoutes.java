package dev.lockstep.api.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lockstep.api.Amounts;
import dev.lockstep.api.ChainNames;
import dev.lockstep.api.ListPage;
import dev.lockstep.api.Params;
import dev.lockstep.indexer.store.BalanceRow;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.TokenRow;
import dev.lockstep.indexer.sync.ChainHealth;
import java.util.function.Supplier;
import io.javalin.http.Context;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** GET /v1/chains, GET /v1/tokens and GET /v1/positions, served from the index. */
public final class CatalogRoutes {
  private static final Map<String, String> DISPLAY = Map.of("ethereum", "Ethereum", "base", "Base", "arbitrum", "Arbitrum");

  private final IndexReader index;
  private final ChainNames chains;
  private final Supplier<List<ChainHealth>> health;

  /**
   * @param health every served chain's sync state, in configuration order
   */
  public CatalogRoutes(IndexReader index, ChainNames chains, Supplier<List<ChainHealth>> health) {
    this.index = index;
    this.chains = chains;
    this.health = health;
  }

  /**
   * A chain Lockstep serves.
   *
   * @param id catalog name, as in {@code settlement.chain} / {@code payout.chain}
   * @param payOutCurrencies symbols of the stablecoins its order book accepts as payout (on-chain)
   * @param stablecoins those stablecoins with their addresses
   * @param status sync state: {@code ok}, {@code starting}, {@code stalled} or {@code halted}
   * @param indexedBlock last block served by the API
   * @param finalizedBlock rows at or below it are final
   */
  public record Chain(String object, String id, long chainId, String name, List<String> payOutCurrencies,
      List<Stablecoin> stablecoins, String status, long headBlock, long indexedBlock, long finalizedBlock) {}

  /** A payout stablecoin on one chain. */
  public record Stablecoin(String currency, String tokenAddress, int decimals) {}

  /** A token's deployment on one chain. */
  public record TokenChain(String chain, long chainId, String address, String supply) {}

  /** An asset token across chains; {@code supply} is the sum over chains. */
  public record Token(String object, String ticker, int decimals, String supply, List<TokenChain> chains) {}

  /**
   * A wallet's holding of one asset token on one chain; {@code final} is false while a transfer
   * in an unfinalized block touches it.
   */
  public record Position(String object, String token, String chain, long chainId, String tokenAddress, String wallet,
      String quantity, @JsonProperty("final") boolean isFinal) {}

  /** GET /v1/chains: every chain served, with its payout currencies and sync state. */
  public void chains(Context ctx) {
    List<Chain> data = health.get().stream().map(h -> {
      List<Stablecoin> stables = index.payoutCurrencies(h.chainId()).stream()
          .map(p -> new Stablecoin(p.symbol(), p.token(), p.decimals())).toList();
      return new Chain("chain", h.name(), h.chainId(), DISPLAY.getOrDefault(h.name(), h.name()),
          stables.stream().map(Stablecoin::currency).toList(), stables, h.status(), h.headBlock(), h.indexedBlock(),
          h.finalizedBlock());
    }).toList();
    ctx.json(ListPage.of(data, false, Optional.empty()));
  }

  /** GET /v1/tokens: every asset token the factories deployed, with supply per chain. */
  public void tokens(Context ctx) {
    Map<String, List<TokenRow>> bySymbol = new LinkedHashMap<>();
    for (TokenRow t : index.tokens()) {
      if (t.kind().equals("asset")) {
        bySymbol.computeIfAbsent(t.symbol(), s -> new ArrayList<>()).add(t);
      }
    }
    List<Token> data = bySymbol.entrySet().stream().map(e -> {
      List<TokenRow> rows = e.getValue();
      int decimals = rows.getFirst().decimals();
      BigInteger total = rows.stream().map(TokenRow::totalSupply).reduce(BigInteger.ZERO, BigInteger::add);
      return new Token("token", e.getKey(), decimals, Amounts.format(total, decimals),
          rows.stream().map(r -> new TokenChain(chains.name(r.chainId()), r.chainId(), r.address(),
              Amounts.format(r.totalSupply(), r.decimals()))).toList());
    }).toList();
    ctx.json(ListPage.of(data, false, Optional.empty()));
  }

  /** GET /v1/positions?wallet=0x...: the wallet's non-zero asset-token holdings per chain. */
  public void positions(Context ctx) {
    String wallet = Params.address(ctx, "wallet");
    List<Position> data = index.balancesOf(wallet).stream().filter(b -> b.kind().equals("asset"))
        .map(this::position).toList();
    ctx.json(ListPage.of(data, false, Optional.empty()));
  }

  private Position position(BalanceRow b) {
    return new Position("position", b.symbol(), chains.name(b.chainId()), b.chainId(), b.token(), b.holder(),
        Amounts.format(b.amount(), b.decimals()), b.isFinal());
  }
}
