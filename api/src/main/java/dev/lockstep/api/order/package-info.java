/**
 * Orders through the API: quotes, mints and redeems (placed from the tenant's settlement wallet, or
 * created by a wallet on chain), their reads, a redeem's cancellation, and developer fees.
 */
@NullMarked
package dev.lockstep.api.order;

import org.jspecify.annotations.NullMarked;
