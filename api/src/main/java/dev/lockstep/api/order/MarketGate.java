package dev.lockstep.api.order;

import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import dev.lockstep.indexer.model.OrderSide;
import dev.lockstep.indexer.model.TriggerKind;
import dev.lockstep.ports.OrderDesk;
import dev.lockstep.ports.VenueCalendar;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an asset's venue lets an order do (reference platform-docs "Mint": quantity "Non-fractional
 * for some private-credit assets"; error {@code market_closed_non_fractional}, "this asset requires
 * live-market fills and the venue is shut"). On a fractional venue an order out of session is
 * placed and waits {@code queued} until the keeper promotes it at the venue's next session; on a
 * non-fractional venue quantities are whole units and an order out of session is refused before
 * anything is sent, with {@code next_session_at} and {@code seconds_until_session}.
 */
final class MarketGate {
  /** Base units of one whole share (6 decimals). */
  private static final BigInteger UNIT = BigInteger.TEN.pow(6);

  private final VenueCalendar calendar;
  private final Clock clock;

  MarketGate(VenueCalendar calendar, Clock clock) {
    this.calendar = calendar;
    this.clock = clock;
  }

  /**
   * Refuses a fraction of a unit of an asset its venue trades in whole units only.
   *
   * @param quantityUnits the quantity in base units (6 decimals)
   */
  void checkQuantity(String asset, BigInteger quantityUnits) {
    VenueCalendar.Venue v = calendar.venueOf(asset);
    if (!v.fractional() && quantityUnits.mod(UNIT).signum() != 0) {
      throw ApiException.invalidParam(
          "quantity",
          "'quantity' must be a whole number of units: "
              + asset
              + " trades on "
              + v.id()
              + ", which does not fill fractions");
    }
  }

  /** Longest a limit or trigger order may live, and a trigger order's default: 90 days. */
  static final Duration MAX_GOOD_TILL = Duration.ofDays(90);

  /**
   * The price condition of an order request (reference redeem-flow "Limit and trigger sells"):
   *
   * <ul>
   *   <li>{@code order_type} {@code market} (the default), {@code limit}, {@code stop_loss}, {@code
   *       take_profit} or {@code oco}; when absent, it follows from the prices given;
   *   <li>{@code limit}: {@code limit_price} and {@code good_till}; {@code stop_loss}: {@code
   *       stop_price}; {@code take_profit}: {@code take_profit_price}; {@code oco}: both, the stop
   *       below the take-profit. Prices are USD per share, above 0, at most 6 decimals;
   *   <li>{@code good_till}: an ISO-8601 instant at least a minute and at most 90 days ahead;
   *       required for a limit, 90 days ahead by default for a trigger;
   *   <li>triggers are sells (a mint refuses them), and a holder's signed order carries no
   *       condition (signed conditional orders come later).
   * </ul>
   */
  java.util.Optional<OrderDesk.OrderCondition> condition(
      OrderSide side,
      @org.jspecify.annotations.Nullable String orderType,
      java.math.@org.jspecify.annotations.Nullable BigDecimal limitPrice,
      java.math.@org.jspecify.annotations.Nullable BigDecimal stopPrice,
      java.math.@org.jspecify.annotations.Nullable BigDecimal takeProfitPrice,
      @org.jspecify.annotations.Nullable String goodTill,
      boolean signed) {
    OrderType type = orderType(orderType, limitPrice, stopPrice, takeProfitPrice, goodTill);
    if (type == OrderType.MARKET) {
      for (var f :
          new Object[][] {
            {"limit_price", limitPrice},
            {"stop_price", stopPrice},
            {"take_profit_price", takeProfitPrice},
            {"good_till", goodTill}
          }) {
        if (f[1] != null) {
          throw ApiException.invalidParam((String) f[0], "a market order takes no '" + f[0] + "'");
        }
      }
      return java.util.Optional.empty();
    }
    if (side == OrderSide.MINT && type != OrderType.LIMIT) {
      throw ApiException.invalidParam(
          "order_type",
          "trigger orders (stop_loss, take_profit, oco) are sells: place them with POST /v1/redeems");
    }
    if (signed) {
      throw ApiException.invalidParam(
          "order_type",
          type.dbValue()
              + " orders are placed from the settlement wallet; a signed order is a market order");
    }
    require(type, "limit_price", limitPrice, type == OrderType.LIMIT);
    require(type, "stop_price", stopPrice, type == OrderType.STOP_LOSS || type == OrderType.OCO);
    require(
        type,
        "take_profit_price",
        takeProfitPrice,
        type == OrderType.TAKE_PROFIT || type == OrderType.OCO);
    if (type == OrderType.LIMIT && goodTill == null) {
      throw ApiException.invalidParam(
          "good_till", "a limit order needs 'good_till' (ISO-8601, e.g. 2026-12-31T21:00:00Z)");
    }
    Instant now = clock.instant();
    Instant till = goodTill == null ? now.plus(MAX_GOOD_TILL) : goodTill(goodTill, now);
    return java.util.Optional.of(
        switch (type) {
          case LIMIT -> new OrderDesk.OrderLimit(units(limitPrice), till);
          case STOP_LOSS ->
              new OrderDesk.OrderTrigger(TriggerKind.STOP_LOSS, units(stopPrice), till);
          case TAKE_PROFIT ->
              new OrderDesk.OrderTrigger(TriggerKind.TAKE_PROFIT, units(takeProfitPrice), till);
          case OCO -> {
            if (stopPrice.compareTo(takeProfitPrice) >= 0) {
              throw ApiException.invalidParam(
                  "stop_price", "an OCO pair's 'stop_price' must be below its 'take_profit_price'");
            }
            yield new OrderDesk.OrderOco(units(stopPrice), units(takeProfitPrice), till);
          }
          case MARKET -> throw new IllegalStateException();
        });
  }

  /** {@code order_type}, or the type the given prices imply. */
  private static OrderType orderType(
      @org.jspecify.annotations.Nullable String orderType,
      java.math.@org.jspecify.annotations.Nullable BigDecimal limitPrice,
      java.math.@org.jspecify.annotations.Nullable BigDecimal stopPrice,
      java.math.@org.jspecify.annotations.Nullable BigDecimal takeProfitPrice,
      @org.jspecify.annotations.Nullable String goodTill) {
    if (orderType != null) {
      for (OrderType t : OrderType.values()) {
        if (t.dbValue().equals(orderType)) {
          return t;
        }
      }
      throw ApiException.invalidParam(
          "order_type", "'order_type' is one of market, limit, stop_loss, take_profit, oco");
    }
    if (stopPrice != null && takeProfitPrice != null) {
      return OrderType.OCO;
    }
    if (stopPrice != null) {
      return OrderType.STOP_LOSS;
    }
    if (takeProfitPrice != null) {
      return OrderType.TAKE_PROFIT;
    }
    if (limitPrice != null || goodTill != null) {
      return OrderType.LIMIT;
    }
    return OrderType.MARKET;
  }

  /** A price field the order type needs (present, above 0, 6 decimals at most) or refuses. */
  private static void require(
      OrderType type,
      String field,
      java.math.@org.jspecify.annotations.Nullable BigDecimal price,
      boolean needed) {
    if (!needed) {
      if (price != null) {
        throw ApiException.invalidParam(
            field, "a " + type.dbValue() + " order takes no '" + field + "'");
      }
      return;
    }
    if (price == null) {
      throw ApiException.invalidParam(
          field, "a " + type.dbValue() + " order needs '" + field + "'");
    }
    if (price.signum() <= 0 || price.stripTrailingZeros().scale() > 6) {
      throw ApiException.invalidParam(
          field, "'" + field + "' must be above 0 with at most 6 decimals (USD per share)");
    }
  }

  private static java.math.BigInteger units(java.math.BigDecimal usdPerShare) {
    return usdPerShare.movePointRight(6).toBigIntegerExact();
  }

  private static Instant goodTill(String goodTill, Instant now) {
    Instant till;
    try {
      till = Instant.parse(goodTill);
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiException.invalidParam(
          "good_till", "'good_till' must be an ISO-8601 instant, e.g. 2026-12-31T21:00:00Z");
    }
    if (!till.isAfter(now.plusSeconds(60)) || till.isAfter(now.plus(MAX_GOOD_TILL))) {
      throw ApiException.invalidParam(
          "good_till", "'good_till' must be at least a minute and at most 90 days ahead");
    }
    return till;
  }

  /** Refuses an order of a non-fractional asset while its venue is out of session. */
  void checkSession(String asset) {
    VenueCalendar.Venue v = calendar.venueOf(asset);
    Instant now = clock.instant();
    if (v.fractional() || calendar.sessionAt(v.id(), now).isPresent()) {
      return;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("asset", asset);
    fields.put("venue", v.id());
    Optional<VenueCalendar.Session> next = calendar.nextSession(v.id(), now);
    next.ifPresent(
        s -> {
          fields.put("next_session_at", s.opensAt().toString());
          fields.put("seconds_until_session", Duration.between(now, s.opensAt()).toSeconds());
        });
    throw new ApiException(
        ErrorCode.MARKET_CLOSED_NON_FRACTIONAL,
        asset
            + " requires live fills and "
            + v.id()
            + " is out of session"
            + next.map(s -> "; it next opens at " + s.opensAt()).orElse(""),
        fields);
  }
}
