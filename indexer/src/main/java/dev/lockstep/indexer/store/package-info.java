/**
 * The {@code indexer} schema: batch writes, projection, rollback, the outbox and the reader other
 * modules use.
 */
@NullMarked
package dev.lockstep.indexer.store;

import org.jspecify.annotations.NullMarked;
