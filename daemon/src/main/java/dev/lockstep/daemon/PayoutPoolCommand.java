package dev.lockstep.daemon;

import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.daemon.config.ConfigReader;
import dev.lockstep.daemon.config.IndexConfig;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.model.TokenKind;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lockstep payout-pool --config FILE}: every configured chain's order-book payout pool per
 * stablecoin ({@code OrderBook.payoutPoolOf}: the book's balance less what it reserves), one line
 * each. With {@code --top-up --chain NAME --currency SYMBOL --amount N --from-key-file FILE}, the
 * operator's top-up: an ERC-20 {@code transfer} of N whole units from the key in FILE (a hex
 * private key, read from the file and never printed) to the book, waited for until mined. A redeem
 * waiting in {@code filled} for liquidity ({@code keeper_settles_waiting_liquidity}) settles on the
 * keeper's next try.
 */
@Command(
    name = "payout-pool",
    mixinStandardHelpOptions = true,
    description = {
      "Show each chain's order-book payout pool per stablecoin, or top one up.",
      "Top-up: --top-up --chain NAME --currency SYMBOL --amount N --from-key-file FILE."
    })
final class PayoutPoolCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config", required = true, description = "JSON config file (chains)")
  Path config;

  @Option(names = "--top-up", description = "transfer --amount to the book's payout pool")
  boolean topUp;

  @Option(names = "--chain", description = "chain name or id (with --top-up)")
  @Nullable String chain;

  @Option(names = "--currency", description = "stablecoin symbol, e.g. USDC (with --top-up)")
  @Nullable String currency;

  @Option(names = "--amount", description = "whole units, up to the token's decimals")
  @Nullable BigDecimal amount;

  @Option(
      names = "--from-key-file",
      description = "file holding the hex private key that pays the top-up")
  @Nullable Path keyFile;

  @Override
  public Integer call() throws Exception {
    IndexConfig cfg = ConfigReader.readIndex(config);
    PrintWriter out = spec.commandLine().getOut();
    if (topUp) {
      return topUp(cfg, out);
    }
    for (ChainConfig c : cfg.chains()) {
      if (c.orderBook().isEmpty()) {
        continue;
      }
      Web3j web3j = Web3j.build(new HttpService(c.rpcUrls().getFirst()));
      try {
        OrderBook book =
            OrderBook.load(
                c.orderBook().get(),
                web3j,
                new ReadonlyTransactionManager(web3j, c.orderBook().get()),
                new DefaultGasProvider());
        for (ChainConfig.Erc20 t : stablecoins(c)) {
          BigInteger pool = book.payoutPoolOf(t.address()).send();
          BigInteger reserved = book.reservedOf(t.address()).send();
          out.printf(
              "chain=%s chain_id=%d currency=%s pool=%s reserved=%s%n",
              c.name(),
              c.chainId(),
              t.symbol(),
              new BigDecimal(pool, t.decimals()).toPlainString(),
              new BigDecimal(reserved, t.decimals()).toPlainString());
        }
      } finally {
        web3j.shutdown();
      }
    }
    out.flush();
    return 0;
  }

  private int topUp(IndexConfig cfg, PrintWriter out) throws Exception {
    if (chain == null || currency == null || amount == null || keyFile == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--top-up needs --chain, --currency, --amount and --from-key-file");
    }
    ChainConfig c =
        cfg.chains().stream()
            .filter(x -> x.name().equals(chain) || Long.toString(x.chainId()).equals(chain))
            .filter(x -> x.orderBook().isPresent())
            .findFirst()
            .orElseThrow(
                () ->
                    new CommandLine.ParameterException(
                        spec.commandLine(), "no configured chain with an order book: " + chain));
    ChainConfig.Erc20 token =
        stablecoins(c).stream()
            .filter(t -> t.symbol().equals(currency))
            .findFirst()
            .orElseThrow(
                () ->
                    new CommandLine.ParameterException(
                        spec.commandLine(), c.name() + " has no stablecoin " + currency));
    if (amount.signum() <= 0 || amount.stripTrailingZeros().scale() > token.decimals()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--amount must be positive with at most " + token.decimals() + " decimals");
    }
    BigInteger units = amount.movePointRight(token.decimals()).toBigIntegerExact();
    Credentials from = Credentials.create(Files.readString(keyFile).strip());
    Web3j web3j = Web3j.build(new HttpService(c.rpcUrls().getFirst()));
    try {
      var tm = new RawTransactionManager(web3j, from, c.chainId());
      String data =
          FunctionEncoder.encode(
              new Function(
                  "transfer",
                  List.of(new Address(c.orderBook().get()), new Uint256(units)),
                  List.of()));
      BigInteger gasPrice = web3j.ethGasPrice().send().getGasPrice();
      BigInteger tip = gasPrice.min(BigInteger.TEN.pow(9));
      var sent =
          tm.sendEIP1559Transaction(
              c.chainId(),
              tip,
              gasPrice.multiply(BigInteger.TWO).add(tip),
              BigInteger.valueOf(100_000),
              token.address(),
              data,
              BigInteger.ZERO);
      if (sent.hasError()) {
        throw new IllegalStateException("transfer refused: " + sent.getError().getMessage());
      }
      TransactionReceipt r =
          new PollingTransactionReceiptProcessor(web3j, 500, 240)
              .waitForTransactionReceipt(sent.getTransactionHash());
      if (!r.isStatusOK()) {
        throw new IllegalStateException("transfer reverted: " + r.getTransactionHash());
      }
      out.printf(
          "topped up %s %s on %s (order book %s) from %s in tx %s%n",
          amount.toPlainString(),
          currency,
          c.name(),
          c.orderBook().get(),
          from.getAddress(),
          r.getTransactionHash());
      out.flush();
      return 0;
    } finally {
      web3j.shutdown();
    }
  }

  private static List<ChainConfig.Erc20> stablecoins(ChainConfig c) {
    return c.tokens().stream().filter(t -> t.kind() == TokenKind.STABLECOIN).toList();
  }
}
