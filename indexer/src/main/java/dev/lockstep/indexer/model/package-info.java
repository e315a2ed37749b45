/**
 * The indexer's closed vocabularies, shared by its layers and by the modules above it: order status
 * and token kind, each a {@link dev.lockstep.indexer.model.StoredEnum} stored as lowercase text.
 */
@NullMarked
package dev.lockstep.indexer.model;

import org.jspecify.annotations.NullMarked;
