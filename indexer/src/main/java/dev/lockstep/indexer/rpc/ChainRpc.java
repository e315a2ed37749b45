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
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthBlockNumber;
import org.web3j.protocol.http.HttpService;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.json.JsonFactory;

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
  private static final JsonFactory JSON = new JsonFactory();
  private static final MediaType JSON_MEDIA = MediaType.get("application/json");

  private final List<Web3j> clients = new ArrayList<>();
  private final OkHttpClient http;
  private final AtomicLong ids = new AtomicLong();
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
    this.http = new OkHttpClient.Builder().connectTimeout(timeout).readTimeout(timeout)
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
      headers.add(new BlockHeader(Quantity.parse(b.getNumberRaw()), b.getHash().toLowerCase(),
          b.getParentHash().toLowerCase(), Instant.ofEpochSecond(Quantity.parse(b.getTimestampRaw()))));
    }
    return headers;
  }

  /**
   * {@code eth_getLogs} over blocks {@code from..to} for {@code addresses}, optionally only topic0
   * {@code topic0}. The answer is read with a streaming JSON parser straight into {@link RawLog}s:
   * a backfill spends most of its client time here, and web3j's response objects decode every
   * quantity through an exception and a regex.
   *
   * @throws RangeTooLargeException if the provider refuses the range; split it and ask again
   */
  public List<RawLog> logs(long from, long to, List<String> addresses, String topic0) throws IOException {
    StringBuilder params = new StringBuilder("[{\"fromBlock\":\"0x").append(Long.toHexString(from))
        .append("\",\"toBlock\":\"0x").append(Long.toHexString(to)).append("\",\"address\":[");
    for (int i = 0; i < addresses.size(); i++) {
      params.append(i == 0 ? "\"" : ",\"").append(addresses.get(i)).append('"');
    }
    params.append(']');
    if (topic0 != null) {
      params.append(",\"topics\":[\"").append(topic0).append("\"]");
    }
    String what = "eth_getLogs " + from + ".." + to;
    String body = "{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"eth_getLogs\",\"params\":"
        + params.append("}]") + "}";
    return callEndpoint(i -> {
      Request request = new Request.Builder().url(urls.get(i)).post(RequestBody.create(body, JSON_MEDIA)).build();
      try (okhttp3.Response response = http.newCall(request).execute()) {
        if (!response.isSuccessful()) {
          throw new RpcException(response.code() == 429 ? RpcErrorKind.RATE_LIMITED : RpcErrorKind.HTTP,
              what + ": HTTP " + response.code());
        }
        try (JsonParser parser = JSON.createParser(response.body().byteStream())) {
          return LogsAnswer.read(parser, what);
        } catch (JacksonIOException e) {
          throw e.getCause();
        } catch (JacksonException e) {
          throw new RpcException(RpcErrorKind.RPC, what + ": malformed answer: " + e.getOriginalMessage());
        }
      }
    });
  }

  /**
   * Reads a JSON-RPC answer to eth_getLogs: the result array, or the error object. Consecutive logs
   * mostly share their block hash, transaction hash, address and topics; a value equal to the
   * previous log's is compared in the parser's buffer and the earlier String reused, so a large
   * answer costs little more than its distinct values. One instance per answer.
   */
  private static final class LogsAnswer {
    private final JsonParser p;
    private final String what;
    private String address = "";
    private String blockHash = "";
    private String txHash = "";
    private String data = "";
    private final String[] topics = {"", "", "", ""};

    private LogsAnswer(JsonParser p, String what) {
      this.p = p;
      this.what = what;
    }

    static List<RawLog> read(JsonParser p, String what) throws IOException {
      return new LogsAnswer(p, what).read();
    }

    private List<RawLog> read() throws IOException {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new RpcException(RpcErrorKind.RPC, what + ": answer is not a JSON object");
      }
      List<RawLog> logs = null;
      for (String name = p.nextName(); name != null; name = p.nextName()) {
        JsonToken t = p.nextToken();
        if (name.equals("result") && t == JsonToken.START_ARRAY) {
          logs = new ArrayList<>();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            logs.add(log());
          }
        } else if (name.equals("error") && t == JsonToken.START_OBJECT) {
          error();
        } else {
          p.skipChildren();
        }
      }
      if (logs == null) {
        throw new RpcException(RpcErrorKind.RPC, what + ": answer has neither result nor error");
      }
      return logs;
    }

    private RawLog log() throws IOException {
      boolean hasAddress = false;
      boolean hasBlockHash = false;
      boolean hasTx = false;
      long blockNumber = -1;
      long logIndex = -1;
      boolean removed = false;
      List<String> logTopics = List.of();
      data = "0x";
      for (String name = p.nextName(); name != null; name = p.nextName()) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
          continue;
        }
        switch (name) {
          case "address" -> {
            address = reuse(address);
            hasAddress = true;
          }
          case "data" -> data = reuse(data);
          case "blockNumber" -> blockNumber = quantity();
          case "blockHash" -> {
            blockHash = reuse(blockHash);
            hasBlockHash = true;
          }
          case "transactionHash" -> {
            txHash = reuse(txHash);
            hasTx = true;
          }
          case "logIndex" -> logIndex = quantity();
          case "removed" -> removed = t == JsonToken.VALUE_TRUE;
          case "topics" -> {
            if (t == JsonToken.START_ARRAY) {
              String[] read = new String[4];
              int n = 0;
              while (p.nextToken() == JsonToken.VALUE_STRING) {
                if (n == read.length) {
                  read = java.util.Arrays.copyOf(read, n * 2);
                }
                read[n] = n < topics.length ? (topics[n] = reuse(topics[n])) : lower(p.getString());
                n++;
              }
              logTopics = List.of(java.util.Arrays.copyOf(read, n));
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
      if (!hasAddress || blockNumber < 0 || !hasBlockHash || !hasTx || logIndex < 0) {
        throw new RpcException(RpcErrorKind.INCONSISTENT, what + ": log without address, block, transaction or index"
            + " (pending or malformed)");
      }
      if (logIndex > Integer.MAX_VALUE) {
        throw new RpcException(RpcErrorKind.RPC, what + ": log index " + logIndex + " out of range");
      }
      return new RawLog(address, logTopics, data, blockNumber, blockHash, txHash, (int) logIndex, removed);
    }

    /** The current string token lowercased; {@code previous} itself if equal to it. */
    private String reuse(String previous) {
      char[] chars = p.getStringCharacters();
      int off = p.getStringOffset();
      int len = p.getStringLength();
      if (len == previous.length()) {
        int i = 0;
        while (i < len && Character.toLowerCase(chars[off + i]) == previous.charAt(i)) {
          i++;
        }
        if (i == len) {
          return previous;
        }
      }
      return new String(chars, off, len).toLowerCase(Locale.ROOT);
    }

    /** The current string token as a JSON-RPC quantity, parsed in the parser's buffer. */
    private long quantity() throws RpcException {
      char[] chars = p.getStringCharacters();
      int off = p.getStringOffset();
      int len = p.getStringLength();
      if (len < 3 || len > 17 || chars[off] != '0' || (chars[off + 1] != 'x' && chars[off + 1] != 'X')) {
        throw new RpcException(RpcErrorKind.RPC, what + ": not a quantity: " + new String(chars, off, len));
      }
      long v = 0;
      for (int i = off + 2; i < off + len; i++) {
        int d = Character.digit(chars[i], 16);
        if (d < 0) {
          throw new RpcException(RpcErrorKind.RPC, what + ": not a quantity: " + new String(chars, off, len));
        }
        v = (v << 4) | d;
      }
      return v;
    }

    private void error() throws IOException {
      long code = 0;
      String message = "";
      for (String name = p.nextName(); name != null; name = p.nextName()) {
        JsonToken t = p.nextToken();
        if (name.equals("code") && t == JsonToken.VALUE_NUMBER_INT) {
          code = p.getLongValue();
        } else if (name.equals("message") && t == JsonToken.VALUE_STRING) {
          message = p.getString();
        } else {
          p.skipChildren();
        }
      }
      if (RANGE_ERROR.matcher(message).find()) {
        throw new RangeTooLargeException(what + ": " + message);
      }
      throw new RpcException(rpcErrorKind(code, message), what + ": " + code + " " + message);
    }

    private static String lower(String hex) {
      return hex.toLowerCase(Locale.ROOT);
    }
  }

  private static void check(Response<?> r, String what) throws RpcException {
    if (r.hasError()) {
      String m = String.valueOf(r.getError().getMessage());
      throw new RpcException(rpcErrorKind(r.getError().getCode(), m), what + ": " + r.getError().getCode() + " " + m);
    }
  }

  private static RpcErrorKind rpcErrorKind(long code, String message) {
    return code == 429 || message.toLowerCase(Locale.ROOT).contains("rate limit")
        ? RpcErrorKind.RATE_LIMITED : RpcErrorKind.RPC;
  }

  @FunctionalInterface
  private interface Call<T> {
    T apply(Web3j w) throws IOException;
  }

  @FunctionalInterface
  private interface EndpointCall<T> {
    /** Calls endpoint {@code i} (index into the URLs and clients). */
    T apply(int i) throws IOException;
  }

  private <T> T call(Call<T> fn) throws IOException {
    return callEndpoint(i -> fn.apply(clients.get(i)));
  }

  private <T> T callEndpoint(EndpointCall<T> fn) throws IOException {
    int start = preferred.get();
    try {
      return Failsafe.with(retry).get(ctx -> {
        int i = (start + ctx.getAttemptCount()) % clients.size();
        try {
          T result = fn.apply(i);
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
