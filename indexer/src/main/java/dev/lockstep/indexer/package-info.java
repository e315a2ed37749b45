/** The indexer on its own: one follower per chain over the {@code indexer} schema. */
@NullMarked
package dev.lockstep.indexer;

import org.jspecify.annotations.NullMarked;
