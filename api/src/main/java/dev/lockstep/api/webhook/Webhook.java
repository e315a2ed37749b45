package dev.lockstep.api.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A webhook subscription as the API shows it; the signing {@code secret} only in the answer that
 * created it.
 *
 * @param id {@code whk_...}
 * @param events patterns: an event type ({@code redeem.settled}), a family ({@code redeem.*}) or
 *     {@code *}
 */
public record Webhook(
    String id,
    String object,
    String url,
    List<String> events,
    boolean enabled,
    Optional<String> description,
    Instant createdAt,
    Instant updatedAt,
    Optional<String> secret) {}
