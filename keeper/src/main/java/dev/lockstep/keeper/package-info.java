/** The keeper: its metrics catalogue and exception root. */
@NullMarked
package dev.lockstep.keeper;

import org.jspecify.annotations.NullMarked;
