package dev.lockstep.api.customer;

import dev.lockstep.api.Pagination;
import dev.lockstep.api.Params;
import dev.lockstep.api.RequestBodies;
import dev.lockstep.api.auth.Authenticator;
import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.error.ErrorCode;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/customers} (upsert by {@code external_id}: 201 created, 200 updated), {@code GET
 * /v1/customers} (query by {@code signal}, {@code provider}, {@code attested_after}, {@code
 * attestation.expires_before}, {@code min_notional}, {@code wallet}, {@code external_id}) and
 * {@code GET /v1/customers/{id}}, all within the caller's tenant.
 */
public final class CustomerRoutes {
  private final CustomerStore store;

  public CustomerRoutes(CustomerStore store) {
    this.store = store;
  }

  public void upsert(Context ctx) {
    CustomerRequest body = RequestBodies.read(ctx, CustomerRequest.class);
    CustomerStore.Upserted u = store.upsert(Authenticator.keyOf(ctx).tenantId(), body);
    ctx.status(u.created() ? 201 : 200).json(u.customer());
  }

  public void list(Context ctx) {
    var q =
        new CustomerStore.Query(
            Params.optionalOneOf(ctx, "signal", CustomerRequest.Attestation.SIGNALS),
            Params.optionalOneOf(ctx, "provider", CustomerRequest.Attestation.PROVIDERS),
            Params.optionalInstant(ctx, "attested_after"),
            Params.optionalInstant(ctx, "attestation.expires_before"),
            Params.optionalDecimal(ctx, "min_notional"),
            Params.optionalAddress(ctx, "wallet"),
            Optional.ofNullable(ctx.queryParam("external_id")));
    ctx.json(store.list(Authenticator.keyOf(ctx).tenantId(), q, Pagination.of(ctx)));
  }

  public void get(Context ctx) {
    String id = ctx.pathParam("id");
    ctx.json(
        store
            .find(Authenticator.keyOf(ctx).tenantId(), id)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.CUSTOMER_NOT_FOUND,
                        "No customer '" + id + "'",
                        Map.of("customer_id", id))));
  }
}
