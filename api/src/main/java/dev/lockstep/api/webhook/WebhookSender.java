package dev.lockstep.api.webhook;

import dev.lockstep.webhook.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends one signed webhook request (reference platform-docs "Delivery headers"): POST of the raw
 * event body, {@code X-Lockstep-Signature} = hex HMAC-SHA256 of {@code timestamp + "." + body} with
 * the subscription's secret, the signing timestamp (Unix seconds, from the injected clock), the
 * delivery id, event type and subscription id. Any 2xx within {@link #TIMEOUT} is success; a slower
 * answer is a timeout. Thread-safe.
 */
public final class WebhookSender {
  /** Connect plus answer deadline: 10 seconds. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final int EXCERPT = 1024;

  private final HttpClient http;
  private final Clock clock;

  public WebhookSender(Clock clock) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.clock = clock;
  }

  /**
   * What the receiver did.
   *
   * @param statusCode its HTTP status, empty if it never answered
   * @param error why it did not answer (timeout, refused connection...)
   */
  public record Outcome(
      Optional<Integer> statusCode,
      long latencyMs,
      Optional<String> error,
      Optional<String> responseExcerpt) {
    public boolean delivered() {
      return statusCode.map(s -> s >= 200 && s < 300).orElse(false);
    }
  }

  /** Sends {@code body} to {@code url}; never throws for a receiver's failure. */
  public Outcome send(
      String url,
      String body,
      String secret,
      String deliveryId,
      String eventType,
      String webhookId) {
    byte[] raw = body.getBytes(StandardCharsets.UTF_8);
    long timestamp = clock.instant().getEpochSecond();
    long t0 = System.nanoTime();
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .header("User-Agent", "Lockstep-Webhooks/1")
              .header(
                  WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, raw))
              .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
              .header(WebhookSignature.DELIVERY_ID_HEADER, deliveryId)
              .header(WebhookSignature.EVENT_HEADER, eventType)
              .header(WebhookSignature.WEBHOOK_ID_HEADER, webhookId)
              .POST(HttpRequest.BodyPublishers.ofByteArray(raw))
              .build();
      HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      String excerpt;
      // Only the excerpt is read: a receiver answering with a huge body cannot exhaust memory.
      try (InputStream in = r.body()) {
        excerpt = new String(in.readNBytes(EXCERPT), StandardCharsets.UTF_8);
      }
      return new Outcome(
          Optional.of(r.statusCode()), millisSince(t0), Optional.empty(), Optional.of(excerpt));
    } catch (HttpTimeoutException e) {
      return new Outcome(
          Optional.empty(),
          millisSince(t0),
          Optional.of("timeout after " + TIMEOUT.toSeconds() + " s"),
          Optional.empty());
    } catch (IOException | IllegalArgumentException e) {
      return new Outcome(
          Optional.empty(),
          millisSince(t0),
          Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()),
          Optional.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(
          Optional.empty(), millisSince(t0), Optional.of("interrupted"), Optional.empty());
    }
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
