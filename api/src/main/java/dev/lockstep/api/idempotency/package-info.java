/** Idempotency-Key on every POST, with sealed stored answers. */
@NullMarked
package dev.lockstep.api.idempotency;

import org.jspecify.annotations.NullMarked;
