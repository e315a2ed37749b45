/** Public catalog and holdings: chains, tokens, positions with NAV. */
@NullMarked
package dev.lockstep.api.catalog;

import org.jspecify.annotations.NullMarked;
