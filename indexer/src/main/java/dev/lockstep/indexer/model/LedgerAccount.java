package dev.lockstep.indexer.model;

import java.util.Locale;

/**
 * An account of the double-entry ledger: {@code <kind>:<chainId>:<qualifier>}, for example {@code
 * wallet:8453:0xab…}, {@code order:8453:17}, {@code payout_pool:8453:0xbook…}. An account's balance
 * in a currency is what was credited to it less what was debited from it, in base units.
 *
 * @param qualifier a lowercase address, an order id, or the order book's address for the book-wide
 *     accounts
 */
public record LedgerAccount(Kind kind, long chainId, String qualifier) {
  /** What an account stands for. */
  public enum Kind implements StoredEnum {
    /** A wallet outside the book: an order's owner, its destination, a gas sponsor, a recipient. */
    WALLET,
    /**
     * What an order holds in the book: its lock (tokens, a mint's stablecoin), its gas deposit,
     * and, while it settles, the broker's proceeds; nets to zero once the order is closed. An OCO
     * pair holds one lock: its account is the stop leg's (the pair's lower id).
     */
    ORDER,
    /** The prime broker: proceeds it owes the book for redeems, payments it receives for mints. */
    BROKER,
    /** The broker's costs charged to orders. */
    BROKER_COSTS,
    /** Platform fees paid to the treasury. */
    PLATFORM_FEES,
    /** Settle gas charged to orders, paid to the treasury. */
    GAS,
    /** A developer-fee recipient's balance in the book's fee escrow, until swept to its wallet. */
    DEVELOPER_FEES,
    /** An asset's supply: debited by what a mint issues, credited by what a redeem burns. */
    ISSUANCE;
  }

  /** The account's id, as entries name it. */
  public String id() {
    return kind.dbValue() + ":" + chainId + ":" + qualifier;
  }

  /**
   * Parses an account id.
   *
   * @throws IllegalArgumentException if {@code id} is not {@code <kind>:<chainId>:<qualifier>}
   */
  public static LedgerAccount parse(String id) {
    String[] p = id.split(":", 3);
    if (p.length != 3 || p[2].isEmpty()) {
      throw new IllegalArgumentException("not a ledger account: " + id);
    }
    Kind kind = null;
    for (Kind k : Kind.values()) {
      if (k.dbValue().equals(p[0])) {
        kind = k;
      }
    }
    if (kind == null) {
      throw new IllegalArgumentException("no ledger account kind '" + p[0] + "'");
    }
    try {
      return new LedgerAccount(kind, Long.parseLong(p[1]), p[2].toLowerCase(Locale.ROOT));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a ledger account: " + id, e);
    }
  }

  public static LedgerAccount wallet(long chainId, String address) {
    return new LedgerAccount(Kind.WALLET, chainId, address.toLowerCase(Locale.ROOT));
  }

  public static LedgerAccount order(long chainId, long orderId) {
    return new LedgerAccount(Kind.ORDER, chainId, Long.toString(orderId));
  }

  /** A book-wide account ({@code BROKER}, {@code PLATFORM_FEES}, ...) of {@code orderBook}. */
  public static LedgerAccount book(Kind kind, long chainId, String orderBook) {
    return new LedgerAccount(kind, chainId, orderBook.toLowerCase(Locale.ROOT));
  }
}
