/** What the indexer follows on each chain: {@link dev.lockstep.indexer.config.ChainConfig}. */
@NullMarked
package dev.lockstep.indexer.config;

import org.jspecify.annotations.NullMarked;
