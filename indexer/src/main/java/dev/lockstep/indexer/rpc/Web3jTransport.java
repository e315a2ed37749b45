package dev.lockstep.indexer.rpc;

import io.reactivex.Flowable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.web3j.protocol.Service;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.websocket.events.Notification;

/**
 * A web3j {@link Service} over {@link ChainRpc}, so that code written against web3j (the keeper's
 * transaction engine) uses the indexer's JSON-RPC stack: the same timeouts, retries with backoff
 * and fallback to a chain's other {@code rpc_urls}. Every JSON-RPC method the keeper calls is
 * idempotent (a signed transaction broadcast twice is the same transaction), so a retry on another
 * endpoint is safe. HTTP only: subscriptions are not supported. Thread-safe.
 */
public final class Web3jTransport extends Service {
  private final ChainRpc rpc;

  public Web3jTransport(ChainRpc rpc) {
    super(false);
    this.rpc = rpc;
  }

  @Override
  protected InputStream performIO(String payload) throws IOException {
    return new ByteArrayInputStream(rpc.postRaw("JSON-RPC", payload));
  }

  @Override
  public <T extends Notification<?>> Flowable<T> subscribe(
      Request request, String unsubscribeMethod, Class<T> responseType) {
    throw new UnsupportedOperationException("subscriptions need a websocket transport");
  }

  @Override
  public void close() {
    rpc.close();
  }
}
