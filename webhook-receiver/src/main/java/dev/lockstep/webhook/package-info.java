/** Verifying Lockstep webhook signatures, for integrators: no dependency beyond the JDK. */
@NullMarked
package dev.lockstep.webhook;

import org.jspecify.annotations.NullMarked;
