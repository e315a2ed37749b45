/** Per-key rate limits by tier. */
@NullMarked
package dev.lockstep.api.ratelimit;

import org.jspecify.annotations.NullMarked;
