/** The event stream: the indexer's outbox published as events and fanned out to webhooks. */
@NullMarked
package dev.lockstep.api.event;

import org.jspecify.annotations.NullMarked;
