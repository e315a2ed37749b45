/** Redeem resources and their cancellation. */
@NullMarked
package dev.lockstep.api.redeem;

import org.jspecify.annotations.NullMarked;
