package dev.lockstep.api.wallet;

import dev.lockstep.api.Amounts;
import dev.lockstep.api.ChainNames;
import dev.lockstep.api.Pagination;
import dev.lockstep.api.RequestBodies;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.indexer.model.TokenKind;
import dev.lockstep.indexer.store.BalanceRow;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.ports.Mode;
import dev.lockstep.ports.SettlementWallets;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /v1/settlement_wallets}: the caller's custodial settlement wallet in this environment
 * with its stablecoin balances per chain; {@code POST /v1/sandbox/faucet {currency, chain?,
 * amount}}: sandbox keys top their wallet up (reference platform-docs "Sandbox funding"). A sandbox
 * wallet is granted 1,000,000 USDC and USDT on every chain before its first spend (the sandbox's
 * own tenant at start); listing it changes nothing.
 */
public final class SettlementWalletRoutes {
  /** Most one faucet drip may mint: 10,000,000 units of the stablecoin. */
  static final BigDecimal MAX_DRIP = BigDecimal.valueOf(10_000_000);

  private final SettlementWallets wallets;
  private final IndexReader index;
  private final ChainNames chains;

  public SettlementWalletRoutes(SettlementWallets wallets, IndexReader index, ChainNames chains) {
    this.wallets = wallets;
    this.index = index;
    this.chains = chains;
  }

  /** One settlement wallet as the API shows it. */
  public record Wallet(
      String id, String object, String address, String environment, List<Balance> balances) {}

  /** A stablecoin balance of the wallet on one chain, in whole units (6 decimals). */
  public record Balance(String chain, long chainId, String currency, String amount) {}

  /** {@code POST /v1/sandbox/faucet}. */
  public record FaucetRequest(String currency, @Nullable String chain, BigDecimal amount) {}

  /** One faucet transaction. */
  public record Drip(String chain, String currency, String amount, String txHash) {}

  /** What the faucet did. */
  public record FaucetAnswer(String object, String wallet, List<Drip> drips) {}

  public void list(Context ctx) {
    var key = Authenticator.keyOf(ctx);
    List<Wallet> data =
        wallets.configured() ? List.of(wallet(key.tenantId(), key.mode())) : List.of();
    ctx.json(Pagination.of(ctx).page(data, Wallet::id));
  }

  private Wallet wallet(String tenantId, Mode mode) {
    String address = wallets.walletOf(tenantId);
    List<Balance> balances = new ArrayList<>();
    for (BalanceRow b : index.balancesOf(address)) {
      if (b.kind() == TokenKind.STABLECOIN) {
        balances.add(
            new Balance(
                chains.name(b.chainId()),
                b.chainId(),
                b.symbol(),
                Amounts.format(b.amount(), b.decimals())));
      }
    }
    return new Wallet(
        "sw_" + address.substring(2, 18),
        "settlement_wallet",
        address,
        mode == Mode.LIVE ? "live" : "sandbox",
        balances);
  }

  /** A sandbox key's faucet request, checked: the currency and amount are valid. */
  private FaucetRequest faucetRequest(Context ctx, String what) {
    var key = Authenticator.keyOf(ctx);
    if (key.mode() != Mode.TEST) {
      throw new ApiException(ErrorCode.SANDBOX_ONLY, "The faucet tops up " + what + " only");
    }
    if (!wallets.configured()) {
      throw new ApiException(
          ErrorCode.SETTLEMENT_WALLETS_NOT_CONFIGURED, "This daemon holds no settlement wallets");
    }
    FaucetRequest r = RequestBodies.read(ctx, FaucetRequest.class);
    if (r.currency() == null || !List.of("USDC", "USDT").contains(r.currency())) {
      throw ApiException.invalidParam("currency", "'currency' must be USDC or USDT");
    }
    if (r.amount() == null
        || r.amount().signum() <= 0
        || r.amount().compareTo(MAX_DRIP) > 0
        || r.amount().stripTrailingZeros().scale() > 6) {
      throw ApiException.invalidParam(
          "amount",
          "'amount' must be a positive number of "
              + r.currency()
              + " with at most 6 decimals, at most 10000000");
    }
    return r;
  }

  /**
   * {@code POST /v1/sandbox/payout_pool {currency, chain, amount}}: sandbox keys top up the order
   * book's payout pool on one chain (the operator's top-up in live); a redeem waiting in {@code
   * filled} for liquidity then settles.
   */
  public void payoutPool(Context ctx) {
    FaucetRequest r = faucetRequest(ctx, "sandbox payout pools");
    long chainId = chainCarrying(r.chain(), r.currency());
    BigInteger units = r.amount().movePointRight(6).toBigIntegerExact();
    String tx = wallets.faucetPayoutPool(r.currency(), chainId, units);
    ctx.status(201)
        .json(new Drip(chains.name(chainId), r.currency(), Amounts.format(units, 6), tx));
  }

  public void faucet(Context ctx) {
    var key = Authenticator.keyOf(ctx);
    FaucetRequest r = faucetRequest(ctx, "sandbox settlement wallets");
    List<Long> targets = new ArrayList<>();
    if (r.chain() != null) {
      targets.add(chainCarrying(r.chain(), r.currency()));
    } else {
      chains.byId().keySet().stream()
          .sorted()
          .filter(id -> carries(id, r.currency()))
          .forEach(targets::add);
    }
    BigInteger units = r.amount().movePointRight(6).toBigIntegerExact();
    List<Drip> drips = new ArrayList<>();
    for (long chainId : targets) {
      String tx = wallets.faucet(key.tenantId(), r.currency(), chainId, units);
      drips.add(new Drip(chains.name(chainId), r.currency(), Amounts.format(units, 6), tx));
    }
    String wallet = wallets.walletOf(key.tenantId());
    ctx.status(201).json(new FaucetAnswer("faucet_drip", wallet, drips));
  }

  /** The id of chain {@code name}, which must carry {@code currency}. */
  private long chainCarrying(@Nullable String name, String currency) {
    return Optional.ofNullable(name)
        .flatMap(chains::idOf)
        .filter(c -> carries(c, currency))
        .orElseThrow(
            () ->
                ApiException.invalidParam(
                    "chain", "'chain' must be a chain of /v1/chains that carries " + currency));
  }

  private boolean carries(long chainId, String currency) {
    return wallets.faucetCurrencies(chainId).map(l -> l.contains(currency)).orElse(false);
  }
}
