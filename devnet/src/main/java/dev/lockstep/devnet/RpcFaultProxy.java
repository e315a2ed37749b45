package dev.lockstep.devnet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An HTTP JSON-RPC proxy in front of a real node that misbehaves on demand, the way hosted
 * providers do: it refuses {@code eth_getLogs} ranges wider than a limit (with the provider's
 * "query returned more than 10000 results" error), answers HTTP 503 while failing, delays answers
 * (timeouts), and can corrupt the block hash of returned logs (a node on another fork). For fault
 * drills and tests; every request otherwise passes through unchanged.
 */
public final class RpcFaultProxy implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final URI upstream;
  private final AtomicLong maxLogRange = new AtomicLong(Long.MAX_VALUE);
  private volatile boolean failing;
  private volatile Duration delay = Duration.ZERO;
  private final AtomicInteger corruptLogs = new AtomicInteger();
  private final AtomicInteger lagLogs = new AtomicInteger();
  private final AtomicInteger refusedRanges = new AtomicInteger();

  private RpcFaultProxy(String upstream) throws IOException {
    this.upstream = URI.create(upstream);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a proxy for {@code upstreamUrl} on a free loopback port. */
  public static RpcFaultProxy start(String upstreamUrl) {
    try {
      return new RpcFaultProxy(upstreamUrl);
    } catch (IOException e) {
      throw new DevnetException("cannot start RPC proxy: " + e.getMessage(), e);
    }
  }

  /** The proxy's URL. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Refuse {@code eth_getLogs} over more than {@code blocks} blocks (Long.MAX_VALUE: no limit). */
  public RpcFaultProxy maxLogRange(long blocks) {
    maxLogRange.set(blocks);
    return this;
  }

  /** While true, every request gets HTTP 503. */
  public RpcFaultProxy failing(boolean on) {
    failing = on;
    return this;
  }

  /** Delay every answer by {@code d}. */
  public RpcFaultProxy delay(Duration d) {
    delay = d;
    return this;
  }

  /** The next {@code n} non-empty eth_getLogs answers get a wrong block hash on their first log. */
  public RpcFaultProxy corruptNextLogs(int n) {
    corruptLogs.set(n);
    return this;
  }

  /**
   * The next {@code n} eth_getLogs answers that hold logs lose the logs of their highest block, as
   * from a backend one block behind.
   */
  public RpcFaultProxy lagNextLogs(int n) {
    lagLogs.set(n);
    return this;
  }

  /**
   * From now on each non-empty {@code eth_getLogs} answer (range and by-hash queries alike) loses
   * one of its logs, chosen at random, with {@code probability}, drawn from a generator seeded with
   * {@code seed}: a load-balanced provider whose backends now and then answer incompletely
   * (graph-node#3891, subql#1999). 0 turns it off.
   */
  public RpcFaultProxy dropLogs(double probability, long seed) {
    synchronized (dropLock) {
      dropRandom = new java.util.Random(seed);
      dropProbability = probability;
    }
    return this;
  }

  /** How many logs {@link #dropLogs} has left out so far. */
  public int droppedLogs() {
    return droppedLogs.get();
  }

  private final Object dropLock = new Object();
  private volatile double dropProbability;
  private java.util.Random dropRandom = new java.util.Random(0);
  private final AtomicInteger droppedLogs = new AtomicInteger();

  /** How many eth_getLogs calls were refused as too wide. */
  public int refusedRanges() {
    return refusedRanges.get();
  }

  /**
   * {@link System#nanoTime()} when the first {@code eth_getLogs} request arrived, if one has
   * (benchmarks time a start-up up to the first fetch with it).
   */
  public java.util.OptionalLong firstGetLogsNanos() {
    long t = firstGetLogs.get();
    return t == 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(t);
  }

  private final java.util.concurrent.atomic.AtomicLong firstGetLogs =
      new java.util.concurrent.atomic.AtomicLong();

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      long arrived = System.nanoTime();
      byte[] body = ex.getRequestBody().readAllBytes();
      if (firstGetLogs.get() == 0
          && new String(body, StandardCharsets.UTF_8).contains("\"eth_getLogs\"")) {
        firstGetLogs.compareAndSet(0, arrived);
      }
      if (!delay.isZero()) {
        Thread.sleep(delay);
      }
      if (failing) {
        reply(ex, 503, "{\"error\":\"upstream unavailable\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      JsonNode request = JSON.readTree(body);
      if (request.isObject() && "eth_getLogs".equals(request.path("method").asString(""))) {
        JsonNode filter = request.path("params").path(0);
        long from = Long.decode(filter.path("fromBlock").asString("0x0"));
        long to = Long.decode(filter.path("toBlock").asString("0x0"));
        if (to - from + 1 > maxLogRange.get()) {
          refusedRanges.incrementAndGet();
          reply(
              ex,
              200,
              ("{\"jsonrpc\":\"2.0\",\"id\":"
                      + request.path("id")
                      + ",\"error\":{\"code\":-32005,"
                      + "\"message\":\"query returned more than 10000 results\"}}")
                  .getBytes(StandardCharsets.UTF_8));
          return;
        }
      }
      HttpResponse<byte[]> up =
          client.send(
              HttpRequest.newBuilder(upstream)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      byte[] answer = up.body();
      if (request.isObject()
          && "eth_getLogs".equals(request.path("method").asString(""))
          && corruptLogs.get() > 0) {
        JsonNode parsed = JSON.readTree(answer);
        if (parsed.path("result") instanceof ArrayNode logs
            && !logs.isEmpty()
            && corruptLogs.getAndDecrement() > 0) {
          ((ObjectNode) logs.get(0)).put("blockHash", "0x" + "ee".repeat(32));
          answer = JSON.writeValueAsBytes(parsed);
        }
      }
      if (request.isObject()
          && "eth_getLogs".equals(request.path("method").asString(""))
          && lagLogs.get() > 0
          && request.path("params").path(0).has("fromBlock")) {
        JsonNode parsed = JSON.readTree(answer);
        if (parsed.path("result") instanceof ArrayNode logs
            && !logs.isEmpty()
            && lagLogs.getAndDecrement() > 0) {
          long highest = Long.decode(logs.get(logs.size() - 1).path("blockNumber").asString());
          for (int i = logs.size() - 1;
              i >= 0 && Long.decode(logs.get(i).path("blockNumber").asString()) == highest;
              i--) {
            logs.remove(i);
          }
          answer = JSON.writeValueAsBytes(parsed);
        }
      }
      if (dropProbability > 0 && "eth_getLogs".equals(request.path("method").asString(""))) {
        answer = withDroppedLogs(answer);
      }
      reply(ex, up.statusCode(), answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private byte[] withDroppedLogs(byte[] answer) {
    JsonNode parsed = JSON.readTree(answer);
    if (!(parsed.path("result") instanceof ArrayNode logs) || logs.isEmpty()) {
      return answer;
    }
    synchronized (dropLock) {
      if (dropRandom.nextDouble() >= dropProbability) {
        return answer;
      }
      logs.remove(dropRandom.nextInt(logs.size()));
    }
    droppedLogs.incrementAndGet();
    return JSON.writeValueAsBytes(parsed);
  }

  private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
