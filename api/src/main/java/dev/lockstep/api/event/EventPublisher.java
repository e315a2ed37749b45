package dev.lockstep.api.event;

import dev.lockstep.api.ChainNames;
import dev.lockstep.api.Ids;
import dev.lockstep.api.order.OrderFates;
import dev.lockstep.indexer.store.Outbox;
import dev.lockstep.ports.Mode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes the indexer's transactional outbox ({@code indexer.outbox_events}) as the event stream
 * ({@code api.events}) and fans each event out to the matching enabled webhook subscriptions
 * ({@code api.webhook_deliveries}): in one transaction per batch, under one advisory lock, in
 * outbox order, marking the outbox rows dispatched. An event about a wallet goes to the tenants
 * whose customers hold that wallet; an event without one (a token deployment) to every tenant. Runs
 * safely in several daemons at once. Thread-safe.
 */
public final class EventPublisher {
  /** Advisory lock serialising publication across daemons: "LKSTPEVT". */
  private static final long LOCK = 0x4C4B535450455654L;

  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);

  private final Jdbi jdbi;
  private final Outbox outbox;
  private final ChainNames chains;
  private final Mode mode;
  private final OrderFates fates;
  private final JsonMapper json;
  private final Clock clock;

  /**
   * @param mode the daemon's environment: the {@code livemode} of every event
   * @param fates how a cancelled order ended ({@code redeem.failed} or {@code redeem.cancelled})
   */
  public EventPublisher(
      Jdbi jdbi,
      Outbox outbox,
      ChainNames chains,
      Mode mode,
      OrderFates fates,
      JsonMapper json,
      Clock clock) {
    this.fates = fates;
    this.jdbi = jdbi;
    this.outbox = outbox;
    this.chains = chains;
    this.mode = mode;
    this.json = json;
    this.clock = clock;
  }

  private record Subscription(String id, String tenantId, String url, List<String> events) {}

  /**
   * Publishes up to {@code limit} undispatched outbox events.
   *
   * @return how many were published
   */
  public int publish(int limit) {
    return jdbi.inTransaction(
        h -> {
          h.createQuery("SELECT pg_advisory_xact_lock(:k)")
              .bind("k", LOCK)
              .map((rs, ctx) -> 0)
              .one();
          List<Outbox.Event> batch = outbox.lockUndispatched(h, limit);
          if (batch.isEmpty()) {
            return 0;
          }
          long seq =
              h.createQuery("SELECT coalesce(max(seq), 0) FROM api.events").mapTo(Long.class).one();
          Timestamp now = Timestamp.from(clock.instant());
          List<Long> ids = new ArrayList<>();
          // Subscriptions by wallet ("" for catalog events), read once per batch.
          Map<String, List<Subscription>> byWallet = new HashMap<>();
          for (Outbox.Event outboxEvent : batch) {
            ObjectNode data = (ObjectNode) json.readTree(outboxEvent.payloadJson());
            Outbox.Event e =
                outboxEvent.withType(fates.typeOf(outboxEvent.type(), outboxEvent.chainId(), data));
            String body = body(e, data);
            h.createUpdate(
                    """
                INSERT INTO api.events (seq, event_id, outbox_id, chain_id, type, wallet, body, created_at)
                VALUES (:seq, :id, :outbox, :c, :type, :w, :body, :at)""")
                .bind("seq", ++seq)
                .bind("id", e.eventId())
                .bind("outbox", e.id())
                .bind("c", e.chainId())
                .bind("type", e.type())
                .bind("w", e.wallet().orElse(null))
                .bind("body", body)
                .bind("at", Timestamp.from(e.createdAt()))
                .execute();
            for (Subscription s :
                byWallet.computeIfAbsent(
                    e.wallet().orElse(""), w -> subscriptions(h, e.wallet()))) {
              if (EventPatterns.matches(s.events(), e.type())) {
                h.createUpdate(
                        """
                    INSERT INTO api.webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, url, body,
                      status, next_attempt_at, created_at)
                    VALUES (:id, :t, :w, :e, :type, :url, :body, 'pending', :now, :now)""")
                    .bind("id", Ids.next("wh_"))
                    .bind("t", s.tenantId())
                    .bind("w", s.id())
                    .bind("e", e.eventId())
                    .bind("type", e.type())
                    .bind("url", s.url())
                    .bind("body", body)
                    .bind("now", now)
                    .execute();
              }
            }
            ids.add(e.id());
          }
          outbox.markDispatched(h, ids, now.toInstant());
          return batch.size();
        });
  }

  private static List<Subscription> subscriptions(Handle h, Optional<String> wallet) {
    String who =
        wallet.isEmpty()
            ? ""
            : " AND tenant_id IN (SELECT tenant_id FROM api.owned_wallets WHERE wallet = :wallet)";
    var q =
        h.createQuery(
            "SELECT id, tenant_id, url, events FROM api.webhooks WHERE enabled"
                + who
                + " ORDER BY seq");
    wallet.ifPresent(w -> q.bind("wallet", w));
    return q.map(
            (rs, ctx) ->
                new Subscription(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    List.of((String[]) rs.getArray(4).getArray())))
        .list();
  }

  /** The event as integrators see it, in GET /v1/events and as a webhook body. */
  private String body(Outbox.Event e, ObjectNode data) {
    if (data.has("order_id") && e.type().startsWith("redeem.")) {
      data.put("redeem_id", "rdm_" + e.chainId() + "_" + data.get("order_id").asLong());
    }
    if (data.has("order_id") && e.type().startsWith("mint.")) {
      data.put(
          "mint_id",
          new dev.lockstep.api.order.OrderId(
                  dev.lockstep.indexer.model.OrderSide.MINT,
                  e.chainId(),
                  data.get("order_id").asLong())
              .toString());
    }
    ObjectNode event = json.createObjectNode();
    event.put("id", e.eventId());
    event.put("object", "event");
    event.put("type", e.type());
    event.put("created_at", ISO.format(e.createdAt()));
    event.put("livemode", mode == Mode.LIVE);
    event.put("chain", chains.name(e.chainId()));
    event.put("chain_id", e.chainId());
    event.put("block_number", e.blockNumber());
    event.set("data", data);
    return json.writeValueAsString(event);
  }
}
