/** The built-in venue calendar: venues, sessions, holidays. */
@NullMarked
package dev.lockstep.keeper.venue;

import org.jspecify.annotations.NullMarked;
