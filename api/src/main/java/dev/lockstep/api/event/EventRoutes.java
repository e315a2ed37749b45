package dev.lockstep.api.event;

import dev.lockstep.api.ListPage;
import dev.lockstep.api.Pagination;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v1/events} (the published event stream, newest first, cursor-paginated, optionally
 * {@code type=redeem.settled} or {@code type=redeem.*}) and {@code GET /v1/events/{id}}. A tenant
 * sees the events about its customers' wallets and the public ones (token deployments). Each event
 * is the exact body its webhooks carry.
 */
public final class EventRoutes {
  private static final Pattern TYPE =
      Pattern.compile("[a-z_]{1,32}(\\.[a-z_]{1,32}){0,3}(\\.\\*)?");
  private static final String VISIBLE =
      """
      SELECT e.seq, e.event_id, e.body FROM api.events e
      WHERE (e.wallet IS NULL OR EXISTS (SELECT 1 FROM api.owned_wallets c WHERE c.tenant_id = :t AND c.wallet = e.wallet))""";

  private final Jdbi jdbi;
  private final JsonMapper json;

  public EventRoutes(Jdbi jdbi, JsonMapper json) {
    this.jdbi = jdbi;
    this.json = json;
  }

  public void list(Context ctx) {
    String tenant = Authenticator.keyOf(ctx).tenantId();
    Pagination page = Pagination.of(ctx);
    StringBuilder sql = new StringBuilder(VISIBLE);
    Map<String, Object> binds = new HashMap<>(Map.of("t", tenant));
    String type = ctx.queryParam("type");
    if (type != null) {
      if (!TYPE.matcher(type).matches()) {
        throw ApiException.invalidParam(
            "type",
            "'type' must be an event type (\"redeem.settled\") or a family " + "(\"redeem.*\")");
      }
      if (type.endsWith(".*")) {
        sql.append(" AND starts_with(e.type, :type)");
        binds.put("type", type.substring(0, type.length() - 1));
      } else {
        sql.append(" AND e.type = :type");
        binds.put("type", type);
      }
    }
    ListPage<JsonNode> events =
        jdbi.withHandle(
            h ->
                page.page(
                    h,
                    sql.toString(),
                    binds,
                    Pagination.CursorLookup.by(
                        id ->
                            h.createQuery(VISIBLE + " AND e.event_id = :id")
                                .bind("t", tenant)
                                .bind("id", id)
                                .map((rs, c) -> rs.getLong(1))
                                .findOne()),
                    (rs, c) -> json.readTree(rs.getString("body")),
                    n -> n.get("id").asString()));
    ctx.json(events);
  }

  public void get(Context ctx) {
    String id = ctx.pathParam("id");
    String tenant = Authenticator.keyOf(ctx).tenantId();
    String body =
        jdbi.withHandle(
                h ->
                    h.createQuery(VISIBLE + " AND e.event_id = :id")
                        .bind("t", tenant)
                        .bind("id", id)
                        .map((rs, c) -> rs.getString("body"))
                        .findOne())
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.EVENT_NOT_FOUND,
                        "No event '" + id + "'",
                        Map.of("event_id", id)));
    ctx.contentType("application/json").result(body);
  }
}
