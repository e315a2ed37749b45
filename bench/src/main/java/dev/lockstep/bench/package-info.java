/** Benchmark programs behind scripts/bench (they print figures; they are not tests). */
@NullMarked
package dev.lockstep.bench;

import org.jspecify.annotations.NullMarked;
