package dev.lockstep.api.catalog;

import dev.lockstep.api.Amounts;
import dev.lockstep.api.ChainNames;
import dev.lockstep.api.ListPage;
import dev.lockstep.api.Params;
import dev.lockstep.indexer.store.BalanceRow;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.TokenRow;
import io.javalin.http.Context;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** GET /v1/tokens and GET /v1/positions, served from the index. */
public final class CatalogRoutes {
  private final IndexReader index;
  private final ChainNames chains;

  public CatalogRoutes(IndexReader index, ChainNames chains) {
    this.index = index;
    this.chains = chains;
  }

  /** A token's deployment on one chain. */
  public record TokenChain(String chain, long chainId, String address, String supply) {}

  /** An asset token across chains; {@code supply} is the sum over chains. */
  public record Token(String object, String ticker, int decimals, String supply, List<TokenChain> chains) {}

  /** A wallet's holding of one asset token on one chain. */
  public record Position(String object, String token, String chain, long chainId, String tokenAddress, String wallet,
      String quantity) {}

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
        Amounts.format(b.amount(), b.decimals()));
  }
}
