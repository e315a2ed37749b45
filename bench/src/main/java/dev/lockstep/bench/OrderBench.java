package dev.lockstep.bench;

import static dev.lockstep.bench.BenchSupport.count;
import static dev.lockstep.bench.BenchSupport.percentile;
import static dev.lockstep.bench.BenchSupport.round;
import static dev.lockstep.bench.BenchSupport.say;

import dev.lockstep.api.auth.Scope;
import dev.lockstep.ports.Mode;
import dev.lockstep.sandbox.Sandbox;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The orders benchmark ({@code scripts/bench/orders}): orders through the API on the sandbox, its
 * base chain mining one block a second. Setup (automine, not measured): {@code tenants} tenants,
 * each with a key and a settlement wallet that has approved the order book for USDC and AAPL and
 * holds AAPL to redeem. Then:
 *
 * <ul>
 *   <li><b>light</b>: one client places {@code light} orders one after another (mints and redeems
 *       alternating, each sent at a random point of the block interval); per order, the time from
 *       sending the POST to its 201 and to the first GET that shows it {@code settled}, against one
 *       block time plus 500 ms;
 *   <li><b>burst</b>: {@code clients} clients, spread over the tenants, each place {@code
 *       per-client} orders back to back: accepted orders per second, POST to settled, and the
 *       settles per block of the burst against the bound (the block gas limit over the median gas
 *       of the burst's settles), from the keeper's confirmed settle intents and their receipts.
 * </ul>
 *
 * Failed: answers other than 201 and orders not settled within two minutes. Duplicates: orders with
 * more than one settle on record, or create transactions that made more than one order. The last
 * line printed is one JSON object with every figure.
 */
public final class OrderBench {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);

  private final Sandbox sandbox;
  private final List<String> keys;
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger seq = new AtomicInteger();

  private OrderBench(Sandbox sandbox, List<String> keys) {
    this.sandbox = sandbox;
    this.keys = keys;
  }

  /** One order's timings, milliseconds from sending its POST (-1: never). */
  private record Timing(String key, String path, long startNanos, long accepted, long settled) {
    Timing settledAt(long ms) {
      return new Timing(key, path, startNanos, accepted, ms);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = BenchSupport.options(args);
    int tenants = Integer.parseInt(opts.getOrDefault("tenants", "16"));
    int clients = Integer.parseInt(opts.getOrDefault("clients", "128"));
    int perClient = Integer.parseInt(opts.getOrDefault("per-client", "4"));
    int light = Integer.parseInt(opts.getOrDefault("light", "10"));
    int blockTime = Integer.parseInt(opts.getOrDefault("block-time", "1"));
    Path work = Path.of(opts.getOrDefault("work-dir", "bench/target/run-orders"));
    Files.createDirectories(work);
    say("starting the sandbox");
    Duration fillDelay = Duration.parse(opts.getOrDefault("fill-delay", "PT2S"));
    try (Sandbox sandbox = Sandbox.start(0, work, 1, Clock.systemUTC(), Map.of(), fillDelay)) {
      List<String> keys = new ArrayList<>();
      for (int t = 0; t < tenants; t++) {
        String tenant = "ten_bench_" + t;
        keys.add(sandbox.daemon().apiKeys().create(tenant, Mode.TEST, Scope.FULL));
      }
      OrderBench bench = new OrderBench(sandbox, keys);
      say("warming %d tenants up (settlement wallets funded, approvals, AAPL to redeem)", tenants);
      bench.warmUp(perClient * ((clients + tenants - 1) / tenants) + light);
      sandbox.anvil(Sandbox.CHAIN_ID).control("evm_setIntervalMining", "[" + blockTime + "]");
      Thread.sleep(2L * blockTime * 1000);

      say("light load: %d orders one after another, %d s blocks", light, blockTime);
      List<Timing> lightRun = new ArrayList<>();
      java.util.Random arrivals = new java.util.Random(42);
      for (int i = 0; i < light; i++) {
        // Arrivals at random points of the block interval, as independent integrators' would be
        // (right after the previous settle, a client would always wait a whole block).
        Thread.sleep(arrivals.nextInt(blockTime * 1000));
        lightRun.add(bench.order(keys.getFirst(), i % 2 == 0));
      }
      List<Long> lightSettled = settledTimes(lightRun);

      say("burst: %d clients x %d orders over %d tenants", clients, perClient, tenants);
      long burstStartMs = System.currentTimeMillis();
      List<Timing> burst = bench.burst(clients, perClient);
      long burstAcceptedMs = burst.stream().mapToLong(Timing::accepted).max().orElse(0);
      long burstWallMs =
          burst.stream()
                  .filter(t -> t.accepted() >= 0)
                  .mapToLong(t -> t.startNanos() / 1_000_000 + t.accepted())
                  .max()
                  .orElse(0)
              - burst.stream().mapToLong(t -> t.startNanos() / 1_000_000).min().orElse(0);
      List<Long> burstSettled = settledTimes(burst);
      double acceptedPerSecond =
          burst.stream().filter(t -> t.accepted() >= 0).count() * 1000.0 / Math.max(1, burstWallMs);

      Map<String, Object> out = new LinkedHashMap<>();
      out.put("block_time_s", blockTime);
      out.put("tenants", tenants);
      out.put("broker_fill_delay_ms", fillDelay.toMillis());
      out.put("light_orders", light);
      out.put("light_post_to_201_p50_ms", p(lightRun.stream().map(Timing::accepted).toList(), 50));
      out.put("light_post_to_settled_p50_ms", p(lightSettled, 50));
      out.put("light_post_to_settled_p99_ms", p(lightSettled, 99));
      out.put("light_target_ms", blockTime * 1000L + 500);
      out.put("burst_orders", burst.size());
      out.put("burst_accepted_per_s", round(acceptedPerSecond));
      out.put("burst_post_to_201_max_ms", burstAcceptedMs);
      out.put("burst_post_to_settled_p50_ms", p(burstSettled, 50));
      out.put("burst_post_to_settled_p99_ms", p(burstSettled, 99));
      bench.settlesPerBlock(burstStartMs, out);
      out.put("failed", bench.failed.get());
      out.put("duplicates", bench.duplicates());
      say(
          "light: POST->settled p50 %s ms (target %s ms); burst: %s accepted/s, POST->settled p50 %s"
              + " ms p99 %s ms, %s settles/block of a bound of %s (%s); failed %s, duplicates %s",
          out.get("light_post_to_settled_p50_ms"),
          out.get("light_target_ms"),
          out.get("burst_accepted_per_s"),
          out.get("burst_post_to_settled_p50_ms"),
          out.get("burst_post_to_settled_p99_ms"),
          out.get("settles_per_block"),
          out.get("bound_settles_per_block"),
          out.get("fraction_of_bound"),
          out.get("failed"),
          out.get("duplicates"));
      System.out.println(JSON.writeValueAsString(out));
    }
  }

  private static long p(List<Long> values, int pct) {
    return values.isEmpty() ? -1 : percentile(values, pct);
  }

  private static List<Long> settledTimes(List<Timing> timings) {
    return timings.stream().map(Timing::settled).filter(t -> t >= 0).toList();
  }

  /** Every tenant: a first mint (grant, USDC approval) and a first redeem (AAPL approval). */
  private void warmUp(int redeemsPerTenant) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, keys.size()));
    List<Future<?>> all = new ArrayList<>();
    for (String key : keys) {
      all.add(
          pool.submit(
              () -> {
                String mint =
                    post(
                            key,
                            "/v1/mints",
                            """
                            {"asset": "AAPL", "quantity": %d,
                             "settlement": {"currency": "USDC", "chain": "base"}}"""
                                .formatted(redeemsPerTenant + 1))
                        .path("id")
                        .asString();
                awaitSettled(key, "/v1/mints/" + mint, System.nanoTime());
                String redeem =
                    post(
                            key,
                            "/v1/redeems",
                            """
                            {"asset": "AAPL", "quantity": 0.01,
                             "payout": {"currency": "USDC", "chain": "base"}}""")
                        .path("id")
                        .asString();
                awaitSettled(key, "/v1/redeems/" + redeem, System.nanoTime());
                return null;
              }));
    }
    for (Future<?> f : all) {
      f.get();
    }
    pool.shutdown();
    failed.set(0);
  }

  /** Places one order and follows it to settled. */
  private Timing order(String key, boolean mint) {
    Timing t = place(key, mint);
    return t.path().isEmpty() ? t : t.settledAt(awaitSettled(key, t.path(), t.startNanos()));
  }

  /** Places one order (a mint of 0.5 AAPL or a redeem of 0.5); its 201 time. */
  private Timing place(String key, boolean mint) {
    long start = System.nanoTime();
    JsonNode answer =
        mint
            ? post(
                key,
                "/v1/mints",
                """
                {"asset": "AAPL", "quantity": 0.5, "settlement": {"currency": "USDC", "chain": "base"}}""")
            : post(
                key,
                "/v1/redeems",
                """
                {"asset": "AAPL", "quantity": 0.5, "payout": {"currency": "USDC", "chain": "base"}}""");
    long accepted = (System.nanoTime() - start) / 1_000_000;
    String id = answer.path("id").asString("");
    if (id.isEmpty()) {
      return new Timing(key, "", start, -1, -1);
    }
    return new Timing(key, (mint ? "/v1/mints/" : "/v1/redeems/") + id, start, accepted, -1);
  }

  private List<Timing> burst(int clients, int perClient) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<List<Timing>>> all = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      String key = keys.get(c % keys.size());
      boolean mintFirst = c % 2 == 0;
      all.add(
          pool.submit(
              () -> {
                List<Timing> mine = new ArrayList<>();
                for (int i = 0; i < perClient; i++) {
                  mine.add(place(key, mintFirst == (i % 2 == 0)));
                }
                // Back to back, then followed to settled (the clock still runs from each POST).
                List<Timing> followed = new ArrayList<>();
                for (Timing t : mine) {
                  followed.add(
                      t.path().isEmpty()
                          ? t
                          : t.settledAt(awaitSettled(t.key(), t.path(), t.startNanos(), 250)));
                }
                return followed;
              }));
    }
    List<Timing> out = new ArrayList<>();
    for (Future<List<Timing>> f : all) {
      out.addAll(f.get());
    }
    pool.shutdown();
    return out;
  }

  /** Milliseconds from {@code startNanos} to the first GET showing settled, or -1 (failed). */
  private long awaitSettled(String key, String path, long startNanos) {
    return awaitSettled(key, path, startNanos, 50);
  }

  /**
   * As above, polling every {@code pollMs} (the burst's clients poll less, not to load the API).
   */
  private long awaitSettled(String key, String path, long startNanos, long pollMs) {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode o = get(key, path);
      String status = o.path("status").asString("");
      if (status.equals("settled")) {
        return (System.nanoTime() - startNanos) / 1_000_000;
      }
      if (status.equals("failed") || status.equals("cancelled")) {
        break;
      }
      try {
        Thread.sleep(pollMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    failed.incrementAndGet();
    return -1;
  }

  private JsonNode post(String key, String path, String body) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(sandbox.apiUrl() + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", "bench-" + seq.incrementAndGet())
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        failed.incrementAndGet();
        say("POST %s answered %d: %s", path, r.statusCode(), r.body());
        return JSON.createObjectNode();
      }
      return JSON.readTree(r.body());
    } catch (Exception e) {
      failed.incrementAndGet();
      say("POST %s failed: %s", path, e);
      return JSON.createObjectNode();
    }
  }

  private JsonNode get(String key, String path) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(sandbox.apiUrl() + path))
            .header("Authorization", "Bearer " + key)
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    try {
      return JSON.readTree(HTTP.send(req, HttpResponse.BodyHandlers.ofString()).body());
    } catch (Exception e) {
      return JSON.createObjectNode();
    }
  }

  /**
   * Settles per block over the burst's blocks (first to last block holding one of its settles)
   * against the bound: block gas limit / median gas of those settles.
   */
  private void settlesPerBlock(long sinceMs, Map<String, Object> out) throws Exception {
    List<String> hashes = new ArrayList<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    try (Connection c = DriverManager.getConnection(sandbox.databaseUrl());
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT mined_tx_hash, mined_block FROM keeper.tx_intents WHERE chain_id = "
                        + Sandbox.CHAIN_ID
                        + " AND action = 'settle' AND status IN ('mined', 'confirmed') AND created_at >="
                        + " to_timestamp("
                        + sinceMs / 1000.0
                        + ")")) {
      while (rs.next()) {
        hashes.add(rs.getString(1));
        first = Math.min(first, rs.getLong(2));
        last = Math.max(last, rs.getLong(2));
      }
    }
    Web3j web3j =
        Web3j.build(new HttpService(sandbox.deployments().get(Sandbox.CHAIN_ID).rpcUrl()));
    try {
      List<Long> gas = new ArrayList<>();
      for (String h : hashes) {
        web3j
            .ethGetTransactionReceipt(h)
            .send()
            .getTransactionReceipt()
            .ifPresent(r -> gas.add(r.getGasUsed().longValueExact()));
      }
      BigInteger gasLimit =
          web3j
              .ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)
              .send()
              .getBlock()
              .getGasLimit();
      long medianGas = gas.isEmpty() ? 1 : percentile(gas, 50);
      long bound = gasLimit.longValueExact() / medianGas;
      long blocks = hashes.isEmpty() ? 0 : last - first + 1;
      double perBlock = blocks == 0 ? 0 : (double) hashes.size() / blocks;
      out.put("burst_settles", hashes.size());
      out.put("burst_blocks", blocks);
      out.put("settle_gas_median", medianGas);
      out.put("block_gas_limit", gasLimit.longValueExact());
      out.put("bound_settles_per_block", bound);
      out.put("settles_per_block", round(perBlock));
      out.put("fraction_of_bound", round(perBlock / bound));
    } finally {
      web3j.shutdown();
    }
  }

  /** Orders settled more than once, and create transactions that made more than one order. */
  private long duplicates() throws Exception {
    try (Connection c = DriverManager.getConnection(sandbox.databaseUrl())) {
      return count(
              c,
              "SELECT count(*) FROM (SELECT 1 FROM indexer.order_events WHERE event = 'settled'"
                  + " GROUP BY chain_id, order_id HAVING count(*) > 1) d")
          + count(
              c,
              "SELECT count(*) FROM (SELECT 1 FROM indexer.orders GROUP BY chain_id, created_tx"
                  + " HAVING count(*) > 1) d");
    }
  }
}
