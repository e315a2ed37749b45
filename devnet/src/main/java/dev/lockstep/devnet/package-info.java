/**
 * Local devnet for the sandbox, the tests and the benchmarks: anvil, embedded PostgreSQL,
 * deployment, a faulty RPC proxy.
 */
@NullMarked
package dev.lockstep.devnet;

import org.jspecify.annotations.NullMarked;
