package dev.lockstep.indexer.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Every derived table of the indexer schema as sorted text rows, to compare two indexes. */
public final class Tables {
  private static final Map<String, String> DERIVED = new LinkedHashMap<>();

  static {
    DERIVED.put(
        "tokens",
        "chain_id, address, symbol, kind, decimals, total_supply, first_block, deploy_tx");
    DERIVED.put(
        "transfers",
        "chain_id, block_number, log_index, block_hash, tx_hash, token, from_address, to_address, amount");
    DERIVED.put("balances", "chain_id, token, holder, amount");
    DERIVED.put(
        "orders",
        "chain_id, order_id, order_book, side, status, owner, token, quantity, payout_token, "
            + "min_notional, destination, gross_notional, payout, cancelled_by, created_block, created_tx, created_at, "
            + "closed_block, closed_tx, closed_at, updated_block");
    DERIVED.put(
        "order_events", "chain_id, block_number, log_index, order_id, event, status, tx_hash, at");
    DERIVED.put(
        "payout_currency_events", "chain_id, block_number, log_index, order_book, token, accepted");
    DERIVED.put("outbox_events", "event_id, chain_id, block_number, log_index, type, payload");
    DERIVED.put("checkpoints", "chain_id, block_number, block_hash");
  }

  private Tables() {}

  /** Table name to its rows (as text, sorted). */
  public static Map<String, List<String>> dump(Jdbi jdbi) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    DERIVED.forEach(
        (table, columns) ->
            out.put(
                table,
                jdbi.withHandle(
                    h ->
                        h.createQuery(
                                "SELECT ("
                                    + columns
                                    + ")::text FROM indexer."
                                    + table
                                    + (table.equals("outbox_events")
                                        ? " WHERE retracts IS NULL"
                                        : "")
                                    + " ORDER BY 1")
                            .mapTo(String.class)
                            .list())));
    return out;
  }
}
