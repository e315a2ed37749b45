/** The simulated price feed. */
@NullMarked
package dev.lockstep.keeper.price;

import org.jspecify.annotations.NullMarked;
