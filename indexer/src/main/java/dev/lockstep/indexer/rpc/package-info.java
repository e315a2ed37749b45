/**
 * The JSON-RPC stack of the indexer and the keeper: calls with timeouts, retries and endpoint
 * fallback, streamed answers, and a web3j transport over it. Imports no other indexer package.
 */
@NullMarked
package dev.lockstep.indexer.rpc;

import org.jspecify.annotations.NullMarked;
