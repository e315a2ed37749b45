package dev.lockstep.api.order;

import dev.lockstep.api.Amounts;
import dev.lockstep.api.ChainNames;
import dev.lockstep.api.ListPage;
import dev.lockstep.api.Pagination;
import dev.lockstep.api.Params;
import dev.lockstep.api.RequestBodies;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.customer.CustomerStore;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.indexer.model.LedgerAccount;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.LedgerReader;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The double-entry ledger of the tenant's money movements (reference settlement-ledger-api "Ledger
 * entries", "Settlement calculation"), booked by the indexer from the order books' logs and never
 * changed (a reorg writes reversing entries):
 *
 * <ul>
 *   <li>{@code GET /v1/ledger/entries[?account=&reference=&from=&to=]}: newest first,
 *       cursor-paginated; {@code reference} is an order id ({@code rdm_…}, {@code mnt_…}) or a
 *       transaction hash;
 *   <li>{@code GET /v1/ledger/accounts/{id}/balance}: credits, debits and balance per currency;
 *   <li>{@code POST /v1/ledger/calculate-settlement}: the reference's fee preview, nothing booked.
 * </ul>
 *
 * A tenant reads the entries of its own wallets' orders (and of fee sweeps to its wallets).
 */
public final class LedgerRoutes {
  /** Under this amount (USD) a settlement is a micro-task, charged the flat fee. */
  static final BigDecimal MICRO_THRESHOLD = new BigDecimal("10");

  /** A micro-task's flat fee, USD. */
  static final BigDecimal MICRO_FEE = new BigDecimal("0.15");

  private final IndexReader index;
  private final ChainNames chains;

  LedgerRoutes(IndexReader index, ChainNames chains) {
    this.index = index;
    this.chains = chains;
  }

  /**
   * One ledger entry: {@code amount} of {@code currency} moved from {@code debit_account} to {@code
   * credit_account}.
   *
   * @param amount in whole units of the currency (its decimals)
   * @param amountBaseUnits the same in base units
   * @param kind what moved: {@code lock}, {@code gas_deposit}, {@code broker_proceeds}, {@code
   *     broker_payment}, {@code broker_costs}, {@code payout}, {@code platform_fee}, {@code
   *     developer_fee}, {@code gas}, {@code refund}, {@code burn}, {@code issue}, {@code fee_sweep}
   * @param orderId the order it comes from ({@code rdm_…}/{@code mnt_…})
   * @param reverses for a reversing entry (a reorg undid the log), the entry it reverses
   */
  public record EntryResource(
      String id,
      String object,
      String kind,
      String debitAccount,
      String creditAccount,
      String amount,
      String amountBaseUnits,
      String currency,
      String currencyAddress,
      String chain,
      long chainId,
      Optional<String> orderId,
      String txHash,
      long blockNumber,
      int logIndex,
      Instant at,
      Optional<String> reverses) {}

  /** An account's balance in one currency, whole units. */
  public record CurrencyBalance(
      String currency,
      String currencyAddress,
      String credits,
      String debits,
      String balance,
      long entries) {}

  /** {@code GET /v1/ledger/accounts/{id}/balance}. */
  public record BalanceResource(String object, String account, List<CurrencyBalance> balances) {}

  /** {@code POST /v1/ledger/calculate-settlement}. */
  public record SettlementRequest(
      @Nullable BigDecimal amount,
      @Nullable String currency,
      @Nullable Integer feeBasisPoints,
      @Nullable Boolean isMicroTask,
      @Nullable String referenceId) {}

  /**
   * A settlement preview: {@code platform_fee_amount} (the flat 0.15 for a micro-task, under 10,
   * else {@code amount} x {@code fee_basis_points} / 10,000 rounded up to the cent's
   * ten-thousandth, 6 decimals) and {@code net_settlement_amount}; {@code tx_ref} is derived from
   * the inputs, the same for the same request.
   */
  public record SettlementResource(
      String object,
      String amount,
      String currency,
      int feeBasisPoints,
      boolean microTask,
      String platformFeeAmount,
      String netSettlementAmount,
      String txRef) {}

  private static Map<String, String> scope(Context ctx) {
    return Map.of("owner_tenant", Authenticator.keyOf(ctx).tenantId());
  }

  private static final String WALLETS = CustomerStore.walletOfTenant("e.wallet");

  /** {@code GET /v1/ledger/entries}. */
  public void entries(Context ctx) {
    Pagination page = Pagination.of(ctx);
    Map<String, String> scope = scope(ctx);
    Optional<String> account =
        Optional.ofNullable(ctx.queryParam("account")).map(a -> account("account", a).id());
    Optional<long[]> order = Optional.empty();
    Optional<String> tx = Optional.empty();
    String reference = ctx.queryParam("reference");
    if (reference != null) {
      if (reference.matches("0x[0-9a-fA-F]{64}")) {
        tx = Optional.of(reference.toLowerCase());
      } else {
        OrderId id =
            OrderId.parse(reference)
                .orElseThrow(
                    () ->
                        ApiException.invalidParam(
                            "reference",
                            "'reference' is an order id (rdm_…, mnt_…) or a transaction hash"));
        order = Optional.of(new long[] {id.chainId(), id.orderId()});
      }
    }
    LedgerReader.Filter filter =
        new LedgerReader.Filter(
            account,
            order,
            tx,
            Params.optionalInstant(ctx, "from"),
            Params.optionalInstant(ctx, "to"));
    boolean newer = page.endingBefore().isPresent();
    String param = newer ? "ending_before" : "starting_after";
    Optional<Long> cursor =
        page.startingAfter()
            .or(page::endingBefore)
            .map(
                id ->
                    index
                        .ledger()
                        .seqOf(id, WALLETS, scope)
                        .orElseThrow(
                            () ->
                                ApiException.invalidParam(
                                    param, "'" + param + "' must be a ledger entry id (le_…)")));
    List<LedgerReader.Entry> rows =
        new ArrayList<>(
            index.ledger().entries(WALLETS, scope, filter, cursor, newer, page.limit() + 1));
    boolean more = rows.size() > page.limit();
    if (more) {
      rows.remove(newer ? 0 : rows.size() - 1);
    }
    List<EntryResource> data = rows.stream().map(this::resource).toList();
    Optional<String> next =
        more ? Optional.of((newer ? data.getFirst() : data.getLast()).id()) : Optional.empty();
    ctx.json(ListPage.of(data, more, next));
  }

  /** {@code GET /v1/ledger/accounts/{id}/balance}. */
  public void balance(Context ctx) {
    LedgerAccount account = account("id", ctx.pathParam("id"));
    List<CurrencyBalance> balances =
        index.ledger().balances(account.id(), WALLETS, scope(ctx)).stream()
            .map(
                b ->
                    new CurrencyBalance(
                        b.currencySymbol().orElse(b.currency()),
                        b.currency(),
                        Amounts.format(b.credits(), b.decimals()),
                        Amounts.format(b.debits(), b.decimals()),
                        Amounts.format(b.balance(), b.decimals()),
                        b.entries()))
            .toList();
    ctx.json(new BalanceResource("ledger_balance", account.id(), balances));
  }

  /** {@code POST /v1/ledger/calculate-settlement}. */
  public void calculateSettlement(Context ctx) {
    SettlementRequest r = RequestBodies.read(ctx, SettlementRequest.class);
    BigDecimal amount = r.amount();
    if (amount == null || amount.signum() <= 0 || amount.stripTrailingZeros().scale() > 6) {
      throw ApiException.invalidParam(
          "amount", "'amount' must be above 0 with at most 6 decimals (USD)");
    }
    String currency = Optional.ofNullable(r.currency()).orElse("USD");
    if (!currency.matches("[A-Z]{3,5}")) {
      throw ApiException.invalidParam("currency", "'currency' must be a currency code (USD)");
    }
    int bps = Optional.ofNullable(r.feeBasisPoints()).orElse(0);
    if (bps < 0 || bps > 10_000) {
      throw ApiException.invalidParam("fee_basis_points", "'fee_basis_points' must be 0-10000");
    }
    boolean micro =
        Optional.ofNullable(r.isMicroTask()).orElse(amount.compareTo(MICRO_THRESHOLD) < 0);
    BigDecimal fee =
        micro
            ? MICRO_FEE.min(amount)
            : amount
                .multiply(BigDecimal.valueOf(bps))
                .divide(BigDecimal.valueOf(10_000), 6, RoundingMode.CEILING);
    String amountText = amount.setScale(6, RoundingMode.UNNECESSARY).toPlainString();
    String ref = Optional.ofNullable(r.referenceId()).orElse("preview");
    ctx.json(
        new SettlementResource(
            "settlement_calculation",
            amountText,
            currency,
            bps,
            micro,
            fee.setScale(6, RoundingMode.UNNECESSARY).toPlainString(),
            amount.subtract(fee).setScale(6, RoundingMode.UNNECESSARY).toPlainString(),
            currency
                + "-"
                + ref
                + "-"
                + dev.lockstep.api.Ids.digestHex(
                    currency + "|" + ref + "|" + amountText + "|" + bps + "|" + micro, 6)));
  }

  private static LedgerAccount account(String param, String id) {
    try {
      return LedgerAccount.parse(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParam(
          param,
          "'"
              + param
              + "' must be a ledger account <kind>:<chain id>:<qualifier>, e.g. wallet:8453:0xab…"
              + " (kinds: wallet, order, broker, broker_costs, platform_fees, gas, developer_fees,"
              + " issuance)");
    }
  }

  private EntryResource resource(LedgerReader.Entry e) {
    return new EntryResource(
        e.id(),
        "ledger_entry",
        e.kind(),
        e.debitAccount(),
        e.creditAccount(),
        Amounts.format(e.amount(), e.decimals()),
        e.amount().toString(),
        e.currencySymbol().orElse(e.currency()),
        e.currency(),
        chains.name(e.chainId()),
        e.chainId(),
        e.orderId()
            .map(
                id ->
                    new OrderId(
                            "mint".equals(e.orderSide().orElse(""))
                                ? dev.lockstep.indexer.model.OrderSide.MINT
                                : dev.lockstep.indexer.model.OrderSide.REDEEM,
                            e.chainId(),
                            id)
                        .toString()),
        e.txHash(),
        e.blockNumber(),
        e.logIndex(),
        e.at(),
        e.reverses());
  }
}
