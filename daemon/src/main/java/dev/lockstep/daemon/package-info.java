/**
 * The composition root: the production daemon (run, index, tenants, keys) wiring indexer, keeper
 * and API.
 */
@NullMarked
package dev.lockstep.daemon;

import org.jspecify.annotations.NullMarked;
