/**
 * Ports between the API and the keeper: interfaces owned by neither module, implemented by the
 * keeper and wired by the daemon.
 */
@NullMarked
package dev.lockstep.ports;

import org.jspecify.annotations.NullMarked;
