/**
 * Following a chain: backfill then live, range sizing, newHeads, reorg detection, health and
 * metrics.
 */
@NullMarked
package dev.lockstep.indexer.sync;

import org.jspecify.annotations.NullMarked;
