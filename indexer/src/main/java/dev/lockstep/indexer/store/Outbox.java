package dev.lockstep.indexer.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The indexer's transactional outbox ({@code indexer.outbox_events}) as its consumers see it: they
 * take undispatched events in outbox order and mark them dispatched, inside their own database
 * transaction, through this class only, so the {@code indexer} schema stays written by the indexer
 * module alone. A rollback locks the same rows before it decides between deleting an undispatched
 * event and answering a dispatched one with {@code <family>.reorged} ({@link Rollback}), so a
 * consumer's batch and a rollback never interleave. Stateless and thread-safe.
 */
public final class Outbox {
  /**
   * One outbox event.
   *
   * @param id outbox sequence (increasing in commit order within a chain)
   * @param eventId stable public event id ({@code evt_…}), derived from chain, block hash, log
   *     index and type
   * @param payloadJson the event's {@code data}, a JSON object
   * @param wallet the wallet the event concerns (lowercase 0x-hex), empty for catalog events
   */
  public record Event(
      long id,
      String eventId,
      long chainId,
      long blockNumber,
      String type,
      String payloadJson,
      Optional<String> wallet,
      Instant createdAt) {
    /** The same event under another type (a consumer's more precise name for it). */
    public Event withType(String t) {
      return new Event(id, eventId, chainId, blockNumber, t, payloadJson, wallet, createdAt);
    }
  }

  /**
   * Locks ({@code FOR UPDATE}) and returns up to {@code limit} undispatched events, oldest first,
   * in the caller's transaction on {@code h}.
   */
  public List<Event> lockUndispatched(Handle h, int limit) {
    return h.createQuery(
            """
            SELECT id, event_id, chain_id, block_number, type, payload::text, wallet, created_at
            FROM indexer.outbox_events WHERE dispatched_at IS NULL ORDER BY id LIMIT :n FOR UPDATE""")
        .bind("n", limit)
        .map(
            (rs, ctx) ->
                new Event(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getLong(3),
                    rs.getLong(4),
                    rs.getString(5),
                    rs.getString(6),
                    Optional.ofNullable(rs.getString(7)),
                    rs.getTimestamp(8).toInstant()))
        .list();
  }

  /** Marks the events {@code ids} dispatched at {@code at}, in the caller's transaction. */
  public void markDispatched(Handle h, List<Long> ids, Instant at) {
    h.createUpdate("UPDATE indexer.outbox_events SET dispatched_at = :at WHERE id = ANY(:ids)")
        .bind("at", Timestamp.from(at))
        .bindArray("ids", Long.class, ids)
        .execute();
  }
}
