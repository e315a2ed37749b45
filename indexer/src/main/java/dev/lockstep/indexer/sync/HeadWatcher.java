package dev.lockstep.indexer.sync;

import io.reactivex.disposables.Disposable;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.websocket.WebSocketClient;
import org.web3j.protocol.websocket.WebSocketService;

/**
 * Subscribes to {@code newHeads} over a WebSocket and calls {@code onHead} for every new block, so
 * the follower fetches it at once instead of at its next poll. The socket is checked every two
 * seconds; when it is down (closed, failed, never opened) the watcher reports disconnected, the
 * follower keeps polling, and the watcher reconnects with backoff (1 s doubling to 30 s).
 */
final class HeadWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeadWatcher.class);
  private static final Duration CHECK = Duration.ofSeconds(2);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final String url;
  private final long chainId;
  private final Runnable onHead;
  private final ScheduledExecutorService scheduler;
  private @Nullable WebSocketClient client;
  private @Nullable WebSocketService service;
  private @Nullable Disposable subscription;
  private volatile boolean connected;
  private Duration backoff = Duration.ofSeconds(1);
  private long nextAttemptAt;

  HeadWatcher(String url, long chainId, Runnable onHead) {
    this.url = url;
    this.chainId = chainId;
    this.onHead = onHead;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("newheads-" + chainId).daemon().unstarted(r));
  }

  void start() {
    scheduler.scheduleWithFixedDelay(this::check, 0, CHECK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the newHeads subscription is up. */
  boolean connected() {
    return connected;
  }

  private synchronized void check() {
    if (client != null && client.isOpen() && subscription != null && !subscription.isDisposed()) {
      return;
    }
    if (connected) {
      log.warn("newHeads socket of chainId={} dropped; polling until it reconnects", chainId);
      connected = false;
    }
    if (System.currentTimeMillis() < nextAttemptAt) {
      return;
    }
    disconnect();
    try {
      client = new WebSocketClient(URI.create(url));
      service = new WebSocketService(client, false);
      service.connect();
      subscription =
          Web3j.build(service)
              .newHeadsNotifications()
              .subscribe(
                  n -> onHead.run(),
                  e -> {
                    log.debug(
                        "newHeads subscription of chainId={} ended: {}", chainId, e.toString());
                    connected = false;
                  });
      connected = true;
      backoff = Duration.ofSeconds(1);
      log.info("newHeads subscribed on chainId={} via {}", chainId, url);
      onHead.run();
    } catch (Exception e) {
      log.debug("newHeads connect to {} failed: {}", url, e.toString());
      nextAttemptAt = System.currentTimeMillis() + backoff.toMillis();
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
      disconnect();
    }
  }

  private void disconnect() {
    // No eth_unsubscribe: the subscription ends with the connection, and web3j logs an ERROR when
    // the socket closes before the node answers an unsubscribe.
    subscription = null;
    if (service != null) {
      try {
        service.close();
      } catch (RuntimeException e) {
        log.debug("closing newHeads socket: {}", e.toString());
      }
      service = null;
    }
    client = null;
  }

  @Override
  public synchronized void close() {
    scheduler.shutdownNow();
    connected = false;
    disconnect();
  }
}
