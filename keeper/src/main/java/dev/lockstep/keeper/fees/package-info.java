/** Developer-fee sweeps: the daily sweep at 00:00 UTC and sweeps requested through the API. */
@NullMarked
package dev.lockstep.keeper.fees;

import org.jspecify.annotations.NullMarked;
