/**
 * The sandbox and the demo: a local devnet with daemons on it (lockstep with no command, lockstep
 * demo).
 */
@NullMarked
package dev.lockstep.sandbox;

import org.jspecify.annotations.NullMarked;
