/** Sandbox-only conveniences: time travel. */
@NullMarked
package dev.lockstep.api.sandbox;

import org.jspecify.annotations.NullMarked;
