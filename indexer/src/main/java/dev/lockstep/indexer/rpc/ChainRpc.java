package dev.lockstep.indexer.rpc;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;

/**
 * The JSON-RPC calls the indexer makes on one chain, over one or more HTTP endpoints (primary
 * first, then fallbacks). Requests are posted with OkHttp and answers read through {@link
 * JsonRpcAnswers}. Every call has a timeout and is retried with exponential backoff and jitter
 * (Failsafe); each retry goes to the next endpoint, and the endpoint that answered last is tried
 * first next time, so a dead primary costs one failed attempt, not a stall. An {@code eth_getLogs}
 * range the provider refuses as too large is not retried: it surfaces as {@link
 * RangeTooLargeException} for the caller to split. Every failed attempt is reported to the error
 * listener with its {@link RpcErrorKind}. Thread-safe.
 */
public final class ChainRpc implements AutoCloseable {
  private static final int HEADER_CHUNK = 250;

  /**
   * Largest answer read into memory whole before parsing: a range sized to the default 10,000 logs
   * answers about 7 MB, and at most one answer per fetching thread is held.
   */
  private static final long WHOLE_ANSWER_MAX = 16 << 20;

  private static final JsonFactory JSON = new JsonFactory();
  private static final MediaType JSON_MEDIA = MediaType.get("application/json");

  private final List<String> urls;
  private final OkHttpClient http;
  private final AtomicInteger preferred = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();
  private final RetryPolicy<Object> retry;
  private final Consumer<RpcErrorKind> onError;
  private final Consumer<String> onDemoted;

  /** Answers of each endpoint in a row that failed the caller's verification. */
  private final java.util.concurrent.atomic.AtomicIntegerArray strikes;

  /** {@link System#nanoTime()} until which each endpoint is passed over (0: not demoted). */
  private final java.util.concurrent.atomic.AtomicLongArray demotedUntil;

  /** Verification failures in a row after which an endpoint is demoted. */
  public static final int STRIKES = 3;

  /** How long a demoted endpoint is passed over while another one is available. */
  public static final Duration DEMOTION = Duration.ofMinutes(1);

  /**
   * @param urls HTTP JSON-RPC URLs, primary first
   * @param timeout timeout of one call (connect, read and whole call)
   * @param maxRetries retries after the first attempt
   * @param onError told of every failed attempt
   */
  public ChainRpc(
      List<String> urls, Duration timeout, int maxRetries, Consumer<RpcErrorKind> onError) {
    this(urls, timeout, maxRetries, onError, url -> {});
  }

  /**
   * @param onDemoted told of every endpoint demoted for {@link #DEMOTION} after {@link #STRIKES}
   *     answers in a row that failed verification
   */
  public ChainRpc(
      List<String> urls,
      Duration timeout,
      int maxRetries,
      Consumer<RpcErrorKind> onError,
      Consumer<String> onDemoted) {
    this.onDemoted = onDemoted;
    this.strikes = new java.util.concurrent.atomic.AtomicIntegerArray(urls.size());
    this.demotedUntil = new java.util.concurrent.atomic.AtomicLongArray(urls.size());
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("at least one RPC URL is required");
    }
    this.urls = List.copyOf(urls);
    this.onError = onError;
    this.http =
        new OkHttpClient.Builder()
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .callTimeout(timeout)
            .build();
    this.retry =
        RetryPolicy.builder()
            .handleIf(e -> e instanceof IOException && !(e instanceof RangeTooLargeException))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(5))
            .withJitter(0.25)
            .withMaxRetries(maxRetries)
            .build();
  }

  /**
   * Moves the preference to the next endpoint: the last one's answer failed a check only the caller
   * can make (an incomplete {@code eth_getLogs}), so the next call asks another backend.
   */
  public String preferNextUrl() {
    int bad = preferred.get();
    if (urls.size() > 1 && strikes.incrementAndGet(bad) >= STRIKES) {
      strikes.set(bad, 0);
      demotedUntil.set(bad, System.nanoTime() + DEMOTION.toNanos());
      onDemoted.accept(urls.get(bad));
    }
    return urls.get(preferred.updateAndGet(i -> (i + 1) % urls.size()));
  }

  /**
   * The last endpoint's answers passed the caller's verification: its strikes start again (an
   * endpoint is demoted for failures in a row, not for ones spread over a day).
   */
  public void answerVerified() {
    strikes.set(preferred.get(), 0);
  }

  /**
   * The endpoint for attempt {@code attempt} of a call that started at {@code start}: the next ones
   * in turn, passing over demoted endpoints while another one is available.
   */
  private int endpoint(int start, int attempt) {
    long now = System.nanoTime();
    for (int k = 0; k < urls.size(); k++) {
      int i = (start + attempt + k) % urls.size();
      long until = demotedUntil.get(i);
      if (until == 0 || now - until >= 0) {
        return i;
      }
    }
    return (start + attempt) % urls.size();
  }

  /** The URL of the endpoint currently preferred (the last one that answered). */
  public String currentUrl() {
    return urls.get(preferred.get());
  }

  /** {@code eth_blockNumber}. */
  public long blockNumber() throws IOException {
    String body = request(ids.incrementAndGet(), "eth_blockNumber", "[]");
    return post("eth_blockNumber", body, JsonRpcAnswers::blockNumber);
  }

  /**
   * Headers of {@code numbers}, fetched with batched {@code eth_getBlockByNumber} (transaction
   * hashes only), in ascending order.
   *
   * @throws IOException if a call fails after retries, or the node lacks one of the blocks
   */
  public List<BlockHeader> headers(Collection<Long> numbers) throws IOException {
    return blocks(numbers).stream().map(RpcBlock::header).toList();
  }

  /**
   * Like {@link #headers}, with each block's logs bloom.
   *
   * @throws IOException if a call fails after retries, or the node lacks one of the blocks
   */
  public List<RpcBlock> blocks(Collection<Long> numbers) throws IOException {
    List<Long> sorted = numbers.stream().distinct().sorted().toList();
    List<RpcBlock> out = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i += HEADER_CHUNK) {
      List<Long> chunk = sorted.subList(i, Math.min(sorted.size(), i + HEADER_CHUNK));
      String body =
          batch(
              chunk.size(),
              "eth_getBlockByNumber",
              k -> "[\"0x" + Long.toHexString(chunk.get(k)) + "\",false]");
      String what = "eth_getBlockByNumber " + chunk.getFirst() + ".." + chunk.getLast();
      out.addAll(post(what, body, a -> a.blocks(chunk)));
    }
    return out;
  }

  /**
   * {@code eth_getLogs} of one block by its hash (EIP-234) for {@code addresses}: the answer cannot
   * silently cover fewer blocks than asked.
   */
  public List<RawLog> logsOfBlock(String blockHash, List<String> addresses) throws IOException {
    String body =
        request(
            ids.incrementAndGet(),
            "eth_getLogs",
            "[{\"blockHash\":\"" + blockHash + "\",\"address\":" + addressArray(addresses) + "}]");
    return post("eth_getLogs block " + blockHash, body, JsonRpcAnswers::logs);
  }

  /**
   * Blocks per {@code eth_getBlockReceipts} batch: a block of 500 token transfers answers about 750
   * KB, so a batch stays well under {@link #WHOLE_ANSWER_MAX}, and a caller holding one batch at a
   * time holds a few MB.
   */
  public static final int RECEIPTS_CHUNK = 8;

  /**
   * {@code eth_getBlockReceipts} of each block in {@code blockHashes} (by hash, EIP-1898), in one
   * JSON-RPC batch, read by the streaming parser; each block's receipts in transaction order, the
   * blocks in the order asked. Callers keep batches to {@link #RECEIPTS_CHUNK} blocks.
   *
   * @throws IOException if the call fails after retries
   * @throws RpcException (inconsistent) if the node has no such block
   */
  public List<List<RpcReceipt>> blockReceipts(List<String> blockHashes) throws IOException {
    int n = blockHashes.size();
    return post(
        "eth_getBlockReceipts of " + n + " blocks",
        batch(n, "eth_getBlockReceipts", k -> "[\"" + blockHashes.get(k) + "\"]"),
        a -> a.receiptsBatch(n));
  }

  /**
   * {@code eth_getLogs} of several blocks by hash (EIP-234), each for its own {@code addresses}, in
   * JSON-RPC batches; the answers in the same order.
   */
  public List<List<RawLog>> logsOfBlocks(List<String> blockHashes, List<List<String>> addresses)
      throws IOException {
    List<List<RawLog>> out = new ArrayList<>(blockHashes.size());
    for (int i = 0; i < blockHashes.size(); i += HEADER_CHUNK) {
      int first = i;
      int n = Math.min(blockHashes.size(), i + HEADER_CHUNK) - i;
      String body =
          batch(
              n,
              "eth_getLogs",
              k ->
                  "[{\"blockHash\":\""
                      + blockHashes.get(first + k)
                      + "\",\"address\":"
                      + addressArray(addresses.get(first + k))
                      + "}]");
      out.addAll(post("eth_getLogs of " + n + " blocks by hash", body, a -> a.logsBatch(n)));
    }
    return out;
  }

  private static String addressArray(List<String> addresses) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < addresses.size(); i++) {
      out.append(i == 0 ? "\"" : ",\"").append(addresses.get(i)).append('"');
    }
    return out.append(']').toString();
  }

  /**
   * {@code eth_getLogs} over blocks {@code from..to} for {@code addresses}, optionally only topic0
   * {@code topic0}.
   *
   * @throws RangeTooLargeException if the provider refuses the range; split it and ask again
   */
  public List<RawLog> logs(long from, long to, List<String> addresses, @Nullable String topic0)
      throws IOException {
    StringBuilder params =
        new StringBuilder("[{\"fromBlock\":\"0x")
            .append(Long.toHexString(from))
            .append("\",\"toBlock\":\"0x")
            .append(Long.toHexString(to))
            .append("\",\"address\":")
            .append(addressArray(addresses));
    if (topic0 != null) {
      params.append(",\"topics\":[\"").append(topic0).append("\"]");
    }
    String body = request(ids.incrementAndGet(), "eth_getLogs", params.append("}]").toString());
    return post("eth_getLogs " + from + ".." + to, body, JsonRpcAnswers::logs);
  }

  /**
   * Posts a JSON-RPC request (or batch) as given and returns the answer's bytes, with the same
   * timeout, retries and endpoint fallback as every other call: the transport of {@link
   * Web3jTransport}. A JSON-RPC error answer is returned, not thrown.
   *
   * @param what the call, for messages
   * @throws IOException if no endpoint answered after the retries
   */
  public byte[] postRaw(String what, String body) throws IOException {
    return send(what, body, ResponseBody::bytes);
  }

  /** A JSON-RPC batch of {@code n} requests, ids 0..n-1, request {@code k} from {@code params}. */
  private static String batch(int n, String method, java.util.function.IntFunction<String> params) {
    StringBuilder b = new StringBuilder(n * 96).append('[');
    for (int k = 0; k < n; k++) {
      b.append(k == 0 ? "" : ",").append(request(k, method, params.apply(k)));
    }
    return b.append(']').toString();
  }

  private static String request(long id, String method, String params) {
    return "{\"jsonrpc\":\"2.0\",\"id\":"
        + id
        + ",\"method\":\""
        + method
        + "\",\"params\":"
        + params
        + "}";
  }

  @FunctionalInterface
  private interface AnswerReader<T> {
    T read(JsonRpcAnswers answer) throws IOException;
  }

  /** Posts {@code body} (with retries and fallback) and reads the answer as it streams in. */
  private <T> T post(String what, String body, AnswerReader<T> reader) throws IOException {
    return send(what, body, answer -> parse(what, answer, reader));
  }

  /** Reads an answer's body. */
  @FunctionalInterface
  private interface BodyReader<T> {
    T read(ResponseBody body) throws IOException;
  }

  /** Posts {@code body} with retries and endpoint fallback; {@code reader} reads a 2xx answer. */
  private <T> T send(String what, String body, BodyReader<T> reader) throws IOException {
    int start = preferred.get();
    try {
      return Failsafe.with(retry)
          .get(
              ctx -> {
                int i = endpoint(start, ctx.getAttemptCount());
                try {
                  T result = postOnce(urls.get(i), what, body, reader);
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

  private <T> T postOnce(String url, String what, String body, BodyReader<T> reader)
      throws IOException {
    Request request =
        new Request.Builder().url(url).post(RequestBody.create(body, JSON_MEDIA)).build();
    try (Response response = http.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new RpcException(
            response.code() == 429 ? RpcErrorKind.RATE_LIMITED : RpcErrorKind.HTTP,
            what + ": HTTP " + response.code());
      }
      return reader.read(response.body());
    }
  }

  /** Parses a JSON-RPC answer with {@code reader}. */
  private static <T> T parse(String what, ResponseBody answer, AnswerReader<T> reader)
      throws IOException {
    // An answer of known length up to WHOLE_ANSWER_MAX is read whole and parsed from one array
    // (no buffer refills: the parser's fast paths throughout); a larger or chunked one is
    // streamed.
    long length = answer.contentLength();
    try (JsonParser parser =
        length >= 0 && length <= WHOLE_ANSWER_MAX
            ? JSON.createParser(answer.bytes())
            : JSON.createParser(answer.byteStream())) {
      return reader.read(new JsonRpcAnswers(parser, what));
    } catch (JacksonIOException e) {
      throw e.getCause();
    } catch (JacksonException e) {
      throw new RpcException(
          RpcErrorKind.RPC, what + ": malformed answer: " + e.getOriginalMessage());
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
