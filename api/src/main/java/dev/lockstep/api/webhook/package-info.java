/** Webhook subscriptions, signed deliveries with retries, replay. */
@NullMarked
package dev.lockstep.api.webhook;

import org.jspecify.annotations.NullMarked;
