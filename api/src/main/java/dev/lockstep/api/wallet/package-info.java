/** Tenants' custodial settlement wallets and the sandbox faucet. */
@NullMarked
package dev.lockstep.api.wallet;

import org.jspecify.annotations.NullMarked;
