/** The keeper's redeem duties (promote, offset, settle, cancel) and its order desk. */
@NullMarked
package dev.lockstep.keeper.redeem;

import org.jspecify.annotations.NullMarked;
