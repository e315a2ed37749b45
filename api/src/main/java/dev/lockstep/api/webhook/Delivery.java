package dev.lockstep.api.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One delivery of one event to one subscription (or a replay of one), with every attempt.
 *
 * @param id {@code wh_...}, sent as the delivery-id header
 * @param status where the delivery stands
 * @param nextAttemptAt when the next attempt is due, while pending
 * @param replayOf the delivery this one replays
 */
public record Delivery(
    String id,
    String object,
    String webhookId,
    String eventId,
    String eventType,
    String url,
    DeliveryStatus status,
    int attempts,
    Optional<Instant> nextAttemptAt,
    Optional<String> replayOf,
    Instant createdAt,
    Optional<Instant> deliveredAt,
    Optional<Instant> abandonedAt,
    Optional<List<Attempt>> attemptLog) {

  /**
   * One attempt.
   *
   * @param statusCode the receiver's HTTP status; empty when it did not answer (see {@code error})
   * @param latencyMs from sending to the answer (or the failure)
   * @param responseExcerpt the first 1,024 characters of the answer's body
   */
  public record Attempt(
      int attempt,
      Instant attemptedAt,
      String url,
      Optional<Integer> statusCode,
      long latencyMs,
      Optional<String> error,
      Optional<String> responseExcerpt) {}
}
