/** The error catalog and RFC 9457 problem+json answers. */
@NullMarked
package dev.lockstep.api.error;

import org.jspecify.annotations.NullMarked;
