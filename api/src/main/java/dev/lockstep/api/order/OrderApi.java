package dev.lockstep.api.order;

import dev.lockstep.api.ChainNames;
import dev.lockstep.api.customer.CustomerStore;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.ports.OrderDesk;
import dev.lockstep.ports.PriceFeed;
import dev.lockstep.ports.SettlementWallets;
import dev.lockstep.ports.VenueCalendar;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import tools.jackson.databind.json.JsonMapper;

/** The order routes, wired together: quotes, mints, redeems, developer fees, the ledger. */
public record OrderApi(
    QuoteRoutes quotes,
    MintRoutes mints,
    RedeemRoutes redeems,
    FeeRoutes fees,
    QuoteStore quoteStore,
    OrderCancelRoutes cancels,
    LedgerRoutes ledger,
    ReconciliationRoutes reconciliation) {

  /** Builds every order route over the index, the keeper's order desk and the wallets. */
  public static OrderApi create(
      IndexReader index,
      OrderDesk desk,
      CustomerStore customers,
      SettlementWallets wallets,
      PriceFeed prices,
      ChainNames chains,
      Jdbi jdbi,
      JsonMapper json,
      dev.lockstep.api.wallet.SignatureCheck signatures,
      VenueCalendar calendar,
      dev.lockstep.ports.Reconciliation reconciliation,
      Clock clock) {
    MarketGate market = new MarketGate(calendar, clock);
    OrderReads reads = new OrderReads(index, desk, customers);
    QuoteStore store = new QuoteStore(jdbi, json, clock);
    SignedOrders signed = new SignedOrders(desk, customers, signatures, clock);
    QuoteRoutes quotes =
        new QuoteRoutes(
            new Pricing(prices, desk, index, chains, market, clock), store, signed, index);
    OrderPlacer placer =
        new OrderPlacer(desk, wallets, customers, index, market, reconciliation, clock);
    MintRoutes mints = new MintRoutes(reads, quotes, placer, signed, index, chains);
    RedeemRoutes redeems = new RedeemRoutes(reads, desk, chains, quotes, placer, signed, index);
    return new OrderApi(
        quotes,
        mints,
        redeems,
        new FeeRoutes(index, chains, desk),
        store,
        new OrderCancelRoutes(reads, desk, mints, redeems),
        new LedgerRoutes(index, chains),
        new ReconciliationRoutes(reconciliation, chains, clock));
  }
}
