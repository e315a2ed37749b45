/** Customers and their attestations. */
@NullMarked
package dev.lockstep.api.customer;

import org.jspecify.annotations.NullMarked;
