package dev.lockstep.api.event;

import dev.lockstep.api.ChainNames;
import dev.lockstep.api.Ids;
import dev.lockstep.api.order.OrderFates;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.OrderRow;
import dev.lockstep.indexer.store.Outbox;
import dev.lockstep.ports.Mode;
import dev.lockstep.ports.OrderDesk;
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
  private final OrderDesk desk;
  private final IndexReader index;
  private final dev.lockstep.ports.Reconciliation reconciliation;
  private final JsonMapper json;
  private final Clock clock;

  /**
   * @param mode the daemon's environment: the {@code livemode} of every event
   * @param desk the source of the broker's fills ({@code mint.filled}, {@code redeem.filled})
   * @param fates how a cancelled order ended ({@code redeem.failed} or {@code redeem.cancelled})
   */
  public EventPublisher(
      Jdbi jdbi,
      Outbox outbox,
      ChainNames chains,
      Mode mode,
      OrderFates fates,
      OrderDesk desk,
      IndexReader index,
      dev.lockstep.ports.Reconciliation reconciliation,
      JsonMapper json,
      Clock clock) {
    this.reconciliation = reconciliation;
    this.fates = fates;
    this.desk = desk;
    this.index = index;
    this.jdbi = jdbi;
    this.outbox = outbox;
    this.chains = chains;
    this.mode = mode;
    this.json = json;
    this.clock = clock;
  }

  private record Subscription(String id, String tenantId, String url, List<String> events) {}

  /**
   * Publishes up to {@code limit} broker fills ({@code mint.filled}, {@code redeem.filled}, before
   * the outbox events of the same pass: a fill precedes its settle) and up to {@code limit}
   * undispatched outbox events.
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
          long[] seq = {
            h.createQuery("SELECT coalesce(max(seq), 0) FROM api.events").mapTo(Long.class).one()
          };
          Timestamp now = Timestamp.from(clock.instant());
          // Subscriptions by wallet ("" for catalog events), read once per pass.
          Map<String, List<Subscription>> byWallet = new HashMap<>();
          int fills = publishFills(h, seq, now, byWallet, limit);
          fills += publishBreaks(h, seq, now, byWallet);
          List<Outbox.Event> batch = outbox.lockUndispatched(h, limit);
          List<Long> ids = new ArrayList<>();
          for (Outbox.Event outboxEvent : batch) {
            ObjectNode data = (ObjectNode) json.readTree(outboxEvent.payloadJson());
            publishedTypeOfUndone(h, data);
            Outbox.Event e =
                outboxEvent.withType(fates.typeOf(outboxEvent.type(), outboxEvent.chainId(), data));
            emit(h, ++seq[0], e, Optional.of(e.id()), body(e, data), now, byWallet);
            ids.add(e.id());
          }
          if (!ids.isEmpty()) {
            outbox.markDispatched(h, ids, now.toInstant());
          }
          return fills + batch.size();
        });
  }

  /**
   * A {@code <family>.reorged} event names the type the undone event was published under (a
   * cancelled order's is {@code redeem.failed} or {@code redeem.cancelled}, see {@link
   * OrderFates}), not the outbox's.
   */
  private static void publishedTypeOfUndone(Handle h, ObjectNode data) {
    if (!data.has("reorged_event_id")) {
      return;
    }
    h.createQuery("SELECT type FROM api.events WHERE event_id = :id")
        .bind("id", data.get("reorged_event_id").asString())
        .mapTo(String.class)
        .findOne()
        .ifPresent(t -> data.put("reorged_type", t));
  }

  /** Name of the fills' position in {@code api.event_cursors}. */
  private static final String FILLS = "broker_fills";

  /**
   * Publishes the broker's fills after the stored position as {@code <side>.filled} for the order's
   * owner, and moves the position, in the caller's transaction (exactly once).
   */
  private int publishFills(
      Handle h, long[] seq, Timestamp now, Map<String, List<Subscription>> byWallet, int limit) {
    java.time.Instant cursor =
        h.createQuery("SELECT at FROM api.event_cursors WHERE name = :n")
            .bind("n", FILLS)
            .mapTo(Timestamp.class)
            .findOne()
            .map(Timestamp::toInstant)
            .orElse(java.time.Instant.EPOCH);
    // Rounds of different chains record fills concurrently, so one may commit a fill stamped
    // before a fill already published: the last FILL_RESCAN up to the position is read again and
    // what was published already is skipped; then the fills after it, up to the limit.
    java.time.Instant after = cursor.plusNanos(1_000);
    List<OrderDesk.Fill> fills =
        new ArrayList<>(desk.fills(cursor.minus(FILL_RESCAN), after, 10_000));
    fills.addAll(desk.fills(after, FAR_FUTURE, limit));
    java.util.Set<String> published =
        new java.util.HashSet<>(
            h.createQuery("SELECT event_id FROM api.events WHERE event_id = ANY(:ids)")
                .bindArray(
                    "ids", String.class, fills.stream().map(EventPublisher::fillEventId).toList())
                .mapTo(String.class)
                .list());
    int count = 0;
    for (OrderDesk.Fill f : fills) {
      if (published.contains(fillEventId(f))) {
        continue;
      }
      count++;
      Optional<OrderRow> order = index.order(f.chainId(), f.orderId());
      if (order.isEmpty()) {
        continue; // its creation was undone by a reorg: nothing to tell
      }
      OrderRow o = order.get();
      ObjectNode data = json.createObjectNode();
      data.put("order_id", o.orderId());
      data.put("side", o.side().dbValue());
      data.put("asset", o.symbol());
      data.put("quantity", dev.lockstep.api.Amounts.format(o.quantity(), 6));
      data.put("gross_notional", dev.lockstep.api.Amounts.format(f.grossNotional(), 6));
      data.put("currency", o.payoutSymbol());
      data.put("owner", o.owner());
      data.put("filled_at", ISO.format(f.filledAt()));
      Outbox.Event e =
          new Outbox.Event(
              0,
              fillEventId(f),
              f.chainId(),
              o.updatedBlock(),
              o.side().dbValue() + ".filled",
              "{}",
              Optional.of(o.owner()),
              f.filledAt());
      emit(h, ++seq[0], e, Optional.empty(), body(e, data), now, byWallet);
    }
    if (!fills.isEmpty() && fills.getLast().filledAt().isAfter(cursor)) {
      h.createUpdate(
              """
          INSERT INTO api.event_cursors (name, at) VALUES (:n, :at)
          ON CONFLICT (name) DO UPDATE SET at = :at""")
          .bind("n", FILLS)
          .bind("at", Timestamp.from(fills.getLast().filledAt()))
          .execute();
    }
    return count;
  }

  /**
   * Publishes the reconciliation's new breaks as {@code reconciliation.break}, a catalog event
   * every tenant sees (minting of the token on the chain is paused for all): token, chain, date,
   * diff and its value, and that minting is paused until an operator clears it.
   */
  private int publishBreaks(
      Handle h, long[] seq, Timestamp now, Map<String, List<Subscription>> byWallet) {
    // Breaks after the last one this publisher saw (a daemon starting over reads them all once;
    // those another daemon published already are skipped by id, through the unique index).
    List<dev.lockstep.ports.Reconciliation.Break> breaks =
        reconciliation.breaksAfter(breaksSeen, 100);
    if (breaks.isEmpty()) {
      return 0;
    }
    java.util.Set<String> published =
        new java.util.HashSet<>(
            h.createQuery("SELECT event_id FROM api.events WHERE event_id = ANY(:ids)")
                .bindArray(
                    "ids", String.class, breaks.stream().map(EventPublisher::breakEventId).toList())
                .mapTo(String.class)
                .list());
    int count = 0;
    for (dev.lockstep.ports.Reconciliation.Break b : breaks) {
      if (published.contains(breakEventId(b))) {
        continue;
      }
      ObjectNode data = json.createObjectNode();
      data.put("date", b.date().toString());
      data.put("token", b.token());
      data.put("chain", chains.name(b.chainId()));
      data.put("chain_id", b.chainId());
      data.put("diff", dev.lockstep.api.Amounts.format(b.diff(), 6));
      data.put("diff_usdc", b.diffUsdc().toPlainString());
      data.put("mint_paused", true);
      data.put("opened_at", ISO.format(b.openedAt()));
      Outbox.Event e =
          new Outbox.Event(
              0,
              breakEventId(b),
              b.chainId(),
              0,
              "reconciliation.break",
              "{}",
              Optional.empty(),
              b.openedAt());
      emit(h, ++seq[0], e, Optional.empty(), body(e, data), now, byWallet);
      count++;
    }
    // Advanced only with the transaction: a pass that rolls back reads these breaks again.
    long last = breaks.getLast().seq();
    h.afterCommit(() -> breaksSeen = Math.max(breaksSeen, last));
    return count;
  }

  /** The seq of the last reconciliation break this publisher has seen published. */
  private volatile long breaksSeen;

  private static String breakEventId(dev.lockstep.ports.Reconciliation.Break b) {
    return "evt_recon_break_" + b.seq();
  }

  /** How far before the stored position fills are read again: 10 s. */
  private static final java.time.Duration FILL_RESCAN = java.time.Duration.ofSeconds(10);

  /** An upper bound no fill's time reaches. */
  private static final java.time.Instant FAR_FUTURE =
      java.time.Instant.parse("9999-01-01T00:00:00Z");

  private static String fillEventId(OrderDesk.Fill f) {
    return "evt_fill_" + f.chainId() + "_" + f.orderId();
  }

  /** Stores one event in the stream and creates its deliveries to the matching subscriptions. */
  private void emit(
      Handle h,
      long seq,
      Outbox.Event e,
      Optional<Long> outboxId,
      String body,
      Timestamp now,
      Map<String, List<Subscription>> byWallet) {
    int stored =
        h.createUpdate(
                """
            INSERT INTO api.events (seq, event_id, outbox_id, chain_id, type, wallet, body, created_at)
            VALUES (:seq, :id, :outbox, :c, :type, :w, :body, :at) ON CONFLICT (event_id) DO NOTHING""")
            .bind("seq", seq)
            .bind("id", e.eventId())
            .bind("outbox", outboxId.orElse(null))
            .bind("c", e.chainId())
            .bind("type", e.type())
            .bind("w", e.wallet().orElse(null))
            .bind("body", body)
            .bind("at", Timestamp.from(e.createdAt()))
            .execute();
    if (stored == 0) {
      return; // published before (a fill seen again after a rollback of this position)
    }
    for (Subscription s :
        byWallet.computeIfAbsent(e.wallet().orElse(""), w -> subscriptions(h, e.wallet()))) {
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
