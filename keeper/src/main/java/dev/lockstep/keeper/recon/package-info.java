/**
 * The daily reconciliation of on-chain supply against the prime broker's books, its breaks (minting
 * paused by the pauser's key) and their clearing.
 */
@NullMarked
package dev.lockstep.keeper.recon;

import org.jspecify.annotations.NullMarked;
