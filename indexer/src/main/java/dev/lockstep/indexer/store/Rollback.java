package dev.lockstep.indexer.store;

import dev.lockstep.indexer.rpc.BlockHeader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Undoes every derived row above a common ancestor block, inside the caller's transaction: the
 * effect of the removed transfers on balances and supply is reversed, then transfers, order
 * history, payout-currency history and block headers above the ancestor are deleted, orders created
 * above it are deleted and orders changed above it are restored to their last remaining history
 * row, ledger entries booked above it are answered by reversing entries (the ledger is never
 * changed), asset tokens deployed above it are deleted, and outbox events above it are deleted if
 * not yet dispatched or answered with a compensating {@code <family>.reorged} event if they were
 * (for example {@code redeem.reorged} for an undone {@code redeem.settled}), carrying what it undid
 * and, for an order, the status the order is back in ({@code none} if its creation was undone). The
 * checkpoint moves to the ancestor.
 */
public final class Rollback {
  private final Handle h;
  private final long chainId;

  /**
   * What a rollback removed.
   *
   * @param fromBlock the checkpoint before the rollback
   * @param ancestor the common ancestor, the new checkpoint
   * @param transfers transfers removed
   * @param orderEvents order history rows removed
   * @param retracted outbox events answered with a retraction
   */
  public record Summary(
      long fromBlock, long ancestor, int transfers, int orderEvents, int retracted) {
    /** Blocks rolled back. */
    public long depth() {
      return fromBlock - ancestor;
    }
  }

  Rollback(Handle h, long chainId) {
    this.h = h;
    this.chainId = chainId;
  }

  Summary to(Checkpoint cp, BlockHeader ancestor) {
    long a = ancestor.number();
    reverseBalances(a);
    h.createUpdate(
            """
            UPDATE indexer.tokens t SET total_supply = t.total_supply - s.delta
            FROM (SELECT token, sum(CASE WHEN from_address = :zero THEN amount ELSE 0 END)
                              - sum(CASE WHEN to_address = :zero THEN amount ELSE 0 END) AS delta
                  FROM indexer.transfers WHERE chain_id = :c AND block_number > :a GROUP BY token) s
            WHERE t.chain_id = :c AND t.address = s.token""")
        .bind("zero", TransferBulk.ZERO)
        .bind("c", chainId)
        .bind("a", a)
        .execute();
    int transfers = delete("transfers", "block_number", a);

    h.createUpdate("DELETE FROM indexer.orders WHERE chain_id = :c AND created_block > :a")
        .bind("c", chainId)
        .bind("a", a)
        .execute();
    // A closing event is an order's last, so an order changed above the ancestor is open again at
    // its last remaining history row.
    h.createUpdate(
            """
            UPDATE indexer.orders o SET status = last.status, updated_block = last.block_number,
              closed_block = NULL, closed_tx = NULL, closed_at = NULL,
              gross_notional = NULL, payout = NULL, cancelled_by = NULL,
              triggered_block = CASE WHEN o.triggered_block > :a THEN NULL ELSE o.triggered_block END,
              trigger_mark = CASE WHEN o.triggered_block > :a THEN NULL ELSE o.trigger_mark END
            FROM (SELECT DISTINCT ON (order_id) order_id, block_number, status FROM indexer.order_events
                  WHERE chain_id = :c AND block_number <= :a
                    AND order_id IN (SELECT order_id FROM indexer.orders WHERE chain_id = :c AND updated_block > :a)
                  ORDER BY order_id, block_number DESC, log_index DESC) last
            WHERE o.chain_id = :c AND o.order_id = last.order_id""")
        .bind("c", chainId)
        .bind("a", a)
        .execute();
    // The ledger is immutable: every entry booked above the ancestor (and not reversed yet) is
    // answered by a reversing entry, its accounts swapped; a log applied again on the new branch is
    // booked anew under the next id of its base.
    h.createUpdate(
            """
            INSERT INTO indexer.ledger_entries (entry_id, base_id, chain_id, block_number, log_index, tx_hash, at,
              kind, debit_account, credit_account, amount, currency, order_id, wallet, reverses)
            SELECT e.entry_id || '.rev', e.base_id || '.rev', e.chain_id, e.block_number, e.log_index, e.tx_hash,
              now(), e.kind, e.credit_account, e.debit_account, e.amount, e.currency, e.order_id, e.wallet, e.entry_id
            FROM indexer.ledger_entries e
            WHERE e.chain_id = :c AND e.block_number > :a AND e.reverses IS NULL
              AND NOT EXISTS (SELECT 1 FROM indexer.ledger_entries r WHERE r.reverses = e.entry_id)
            ORDER BY e.seq""")
        .bind("c", chainId)
        .bind("a", a)
        .execute();
    int orderEvents = delete("order_events", "block_number", a);
    delete("payout_currency_events", "block_number", a);
    h.createUpdate(
            "DELETE FROM indexer.tokens WHERE chain_id = :c AND kind = 'asset' AND first_block > :a")
        .bind("c", chainId)
        .bind("a", a)
        .execute();

    // Lock the outbox rows first: the API's publisher may be marking them dispatched right now, and
    // whether an event gets a compensating event or is simply deleted must see its final state.
    h.createQuery(
            "SELECT id FROM indexer.outbox_events WHERE chain_id = :c AND block_number > :a FOR UPDATE")
        .bind("c", chainId)
        .bind("a", a)
        .mapTo(Long.class)
        .list();
    int retracted =
        h.createUpdate(
                """
            INSERT INTO indexer.outbox_events (event_id, chain_id, block_number, log_index, type, payload, retracts,
              wallet)
            SELECT e.event_id || '_reorged', e.chain_id, e.block_number, e.log_index,
                   split_part(e.type, '.', 1) || '.reorged',
                   e.payload || jsonb_build_object('reorged_event_id', e.event_id, 'reorged_type', e.type,
                     'reason', 'reorg', 'common_ancestor_block', CAST(:a AS bigint),
                     'previous_status', e.payload -> 'status',
                     'status', CASE WHEN e.payload -> 'order_id' IS NOT NULL THEN to_jsonb(coalesce(o.status, 'none')) END),
                   e.id, e.wallet
            FROM indexer.outbox_events e
            LEFT JOIN indexer.orders o ON o.chain_id = e.chain_id AND o.order_id = (e.payload ->> 'order_id')::bigint
            WHERE e.chain_id = :c AND e.block_number > :a AND e.retracts IS NULL AND e.dispatched_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM indexer.outbox_events r WHERE r.retracts = e.id)""")
            .bind("c", chainId)
            .bind("a", a)
            .execute();
    h.createUpdate(
            """
            DELETE FROM indexer.outbox_events
            WHERE chain_id = :c AND block_number > :a AND retracts IS NULL AND dispatched_at IS NULL""")
        .bind("c", chainId)
        .bind("a", a)
        .execute();

    delete("blocks", "number", a);
    h.createUpdate(
            """
            UPDATE indexer.checkpoints SET block_number = :n, block_hash = :h, updated_at = now()
            WHERE chain_id = :c""")
        .bind("n", a)
        .bind("h", ancestor.hash())
        .bind("c", chainId)
        .execute();
    return new Summary(cp.blockNumber(), a, transfers, orderEvents, retracted);
  }

  /** Subtracts, per (token, holder), what the transfers above the ancestor added. */
  private void reverseBalances(long a) {
    List<String> tokens = new ArrayList<>();
    List<String> holders = new ArrayList<>();
    List<BigDecimal> deltas = new ArrayList<>();
    h.createQuery(
            """
            SELECT token, holder, -sum(delta) FROM (
              SELECT token, from_address AS holder, -amount AS delta FROM indexer.transfers
              WHERE chain_id = :c AND block_number > :a AND from_address <> :zero
              UNION ALL
              SELECT token, to_address, amount FROM indexer.transfers
              WHERE chain_id = :c AND block_number > :a AND to_address <> :zero) d
            GROUP BY token, holder HAVING sum(delta) <> 0""")
        .bind("c", chainId)
        .bind("a", a)
        .bind("zero", TransferBulk.ZERO)
        .map(
            (rs, ctx) -> {
              tokens.add(rs.getString(1));
              holders.add(rs.getString(2));
              deltas.add(rs.getBigDecimal(3));
              return 0;
            })
        .list();
    Balances.add(h, chainId, tokens, holders, deltas);
  }

  private int delete(String table, String blockColumn, long a) {
    return h.createUpdate(
            "DELETE FROM indexer." + table + " WHERE chain_id = :c AND " + blockColumn + " > :a")
        .bind("c", chainId)
        .bind("a", a)
        .execute();
  }
}
