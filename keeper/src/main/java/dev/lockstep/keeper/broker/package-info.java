/** The prime broker interface and its simulator. */
@NullMarked
package dev.lockstep.keeper.broker;

import org.jspecify.annotations.NullMarked;
