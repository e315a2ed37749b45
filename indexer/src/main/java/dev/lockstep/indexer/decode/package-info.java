/**
 * Decoding of raw logs into the events the index projects (ERC-20 transfers, factory and order-book
 * events).
 */
@NullMarked
package dev.lockstep.indexer.decode;

import org.jspecify.annotations.NullMarked;
