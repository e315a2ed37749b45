package dev.lockstep.indexer.rpc;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.lockstep.indexer.store.BlockHeader;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthBlockNumber;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;

/**
 * The JSON-RPC calls the indexer makes on one chain, over one or more HTTP endpoints (primary
 * first, then fallbacks). Every call has a timeout and is retried with exponential backoff and
 * jitter (Failsafe); each retry goes to the next endpoint, and the endpoint that answered last is
 * tried first next time, so a dead primary costs one failed attempt, not a stall. An {@code
 * eth_getLogs} range the provider refuses as too large is not retried: it surfaces as {@link
 * RangeTooLargeException} for the caller to split. Every failed attempt is reported to the error
 * listener with its {@link RpcErrorKind}. Thread-safe.
 */
public final class ChainRpc implements AutoCloseable {
  /** Provider answers meaning "this eth_getLogs range is too big" (geth, Infura, Alchemy, QuickNode, anvil proxies). */
  private static final Pattern RANGE_ERROR = Pattern.compile(
      "(more than \\d+ results|too many (results|logs)|response size|range (is )?too (large|wide|big)"
          + "|exceeds? (the )?max(imum)? (block )?range|block range|limit exceeded|max results|query timeout exceeded)",
      Pattern.CASE_INSENSITIVE);
  private static final int HEADER_CHUNK = 250;

  private final List<String> urls;
  private final List<Web3j> clients = new ArrayList<>();
  private final AtomicInteger preferred = new AtomicInteger();
  private final RetryPolicy<Object> retry;
  private final Consumer<RpcErrorKind> onError;

  /**
   * @param urls HTTP JSON-RPC URLs, primary first
   * @param timeout timeout of one call (connect, read and whole call)
   * @param maxRetries retries after the first attempt
   * @param onError told of every failed attempt
   */
  public ChainRpc(List<String> urls, Duration timeout, int maxRetries, Consumer<RpcErrorKind> onError) {
    this.urls = List.copyOf(urls);
    this.onError = onError;
    OkHttpClient http = new OkHttpClient.Builder().connectTimeout(timeout).readTimeout(timeout)
        .callTimeout(timeout).build();
    for (String url : urls) {
      clients.add(Web3j.build(new HttpService(url, http)));
    }
    this.retry = RetryPolicy.builder()
        .handleIf(e -> e instanceof IOException && !(e instanceof RangeTooLargeException))
        .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(5))
        .withJitter(0.25)
        .withMaxRetries(maxRetries)
        .build();
  }

  /** The URL of the endpoint currently preferred (the last one that answered). */
  public String currentUrl() {
    return urls.get(preferred.get());
  }

  /** {@code eth_blockNumber}. */
  public long blockNumber() throws IOException {
    return call(w -> {
      EthBlockNumber r = w.ethBlockNumber().send();
      check(r, "eth_blockNumber");
      return r.getBlockNumber().longValueExact();
    });
  }

  /**
   * Headers of {@code numbers}, fetched in JSON-RPC batches, in ascending order.
   *
   * @throws IOException if a call fails after retries, or the node lacks one of the blocks
   */
  public List<BlockHeader> headers(Collection<Long> numbers) throws IOException {
    List<Long> sorted = numbers.stream().distinct().sorted().toList();
    List<BlockHeader> out = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i += HEADER_CHUNK) {
      List<Long> chunk = sorted.subList(i, Math.min(sorted.size(), i + HEADER_CHUNK));
      out.addAll(call(w -> headerBatch(w, chunk)));
    }
    return out;
  }

  private static List<BlockHeader> headerBatch(Web3j w, List<Long> numbers) throws IOException {
    BatchRequest batch = w.newBatch();
    for (long n : numbers) {
      batch.add(w.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), false));
    }
    List<BlockHeader> headers = new ArrayList<>(numbers.size());
    List<? extends Response<?>> responses = batch.send().getResponses();
    for (int i = 0; i < responses.size(); i++) {
      Response<?> r = responses.get(i);
      check(r, "eth_getBlockByNumber");
      EthBlock.Block b = ((EthBlock) r).getBlock();
      if (b == null) {
        throw new RpcException(RpcErrorKind.INCONSISTENT, "node has no block " + numbers.get(i) + " (behind or reorged)");
      }
      headers.add(new BlockHeader(b.getNumber().longValueExact(), b.getHash().toLowerCase(),
          b.getParentHash().toLowerCase(), Instant.ofEpochSecond(b.getTimestamp().longValueExact())));
    }
    return headers;
  }

  /**
   * {@code eth_getLogs} over blocks {@code from..to} for {@code addresses}, optionally only topic0
   * {@code topic0}.
   *
   * @throws RangeTooLargeException if the provider refuses the range; split it and ask again
   */
  public List<Log> logs(long from, long to, List<String> addresses, String topic0) throws IOException {
    return call(w -> {
      EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
          DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), addresses);
      if (topic0 != null) {
        filter.addSingleTopic(topic0);
      }
      EthLog r = w.ethGetLogs(filter).send();
      if (r.hasError() && RANGE_ERROR.matcher(String.valueOf(r.getError().getMessage())).find()) {
        throw new RangeTooLargeException("eth_getLogs " + from + ".." + to + ": " + r.getError().getMessage());
      }
      check(r, "eth_getLogs " + from + ".." + to);
      List<Log> out = new ArrayList<>(r.getLogs().size());
      for (EthLog.LogResult<?> l : r.getLogs()) {
        out.add((Log) l.get());
      }
      return out;
    });
  }

  private static void check(Response<?> r, String what) throws RpcException {
    if (r.hasError()) {
      String m = r.getError().getMessage();
      RpcErrorKind kind = r.getError().getCode() == 429 || String.valueOf(m).toLowerCase().contains("rate limit")
          ? RpcErrorKind.RATE_LIMITED : RpcErrorKind.RPC;
      throw new RpcException(kind, what + ": " + r.getError().getCode() + " " + m);
    }
  }

  @FunctionalInterface
  private interface Call<T> {
    T apply(Web3j w) throws IOException;
  }

  private <T> T call(Call<T> fn) throws IOException {
    int start = preferred.get();
    try {
      return Failsafe.with(retry).get(ctx -> {
        int i = (start + ctx.getAttemptCount()) % clients.size();
        try {
          T result = fn.apply(clients.get(i));
          preferred.set(i);
          return result;
        } catch (IOException | RuntimeException e) {
          onError.accept(RpcErrorKind.of(e));
          throw e;
        }
      });
    } catch (FailsafeException e) {
      if (e.getCause() instanceof IOException io) throw io;
      throw e;
    }
  }

  @Override
  public void close() {
    clients.forEach(Web3j::shutdown);
  }
}
