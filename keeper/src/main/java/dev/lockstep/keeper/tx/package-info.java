/**
 * The transaction engine: durable intents and attempts, nonce leases, submission, tracking,
 * replacement and gap filling.
 */
@NullMarked
package dev.lockstep.keeper.tx;

import org.jspecify.annotations.NullMarked;
