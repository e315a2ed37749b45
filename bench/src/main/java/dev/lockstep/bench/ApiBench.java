package dev.lockstep.bench;

import static dev.lockstep.bench.BenchSupport.count;
import static dev.lockstep.bench.BenchSupport.round;
import static dev.lockstep.bench.BenchSupport.say;

import dev.lockstep.contracts.generated.OrderBook;
import dev.lockstep.devnet.ContractDeployer;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.sandbox.Sandbox;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.NoOpProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API benchmark ({@code scripts/bench/api}). Starts the sandbox (the whole daemon: indexer,
 * keeper, API, webhooks, on anvil and an embedded PostgreSQL), seeds it through the API and the
 * chain ({@code customers} customers, {@code redeems} redeem orders from a sandbox wallet, settled
 * by the keeper, with their events), then drives with wrk at {@code connections} connections, for
 * {@code duration} seconds each, in {@code rounds} rounds:
 *
 * <ul>
 *   <li>{@code get}: {@code GET /v1/customers/{id}} (one resource), each request a customer drawn
 *       at random from the seeded ones;
 *   <li>{@code list}: {@code GET /v1/customers?limit=25&starting_after=<id>} (a page behind a
 *       cursor), each request a cursor drawn at random from every 25th seeded customer;
 *   <li>{@code post}: {@code POST /v1/customers} with a fresh {@code Idempotency-Key} on every
 *       request (an upsert of one customer: the idempotency record, the upsert, the sealed answer);
 * </ul>
 *
 * and, before each route in each round, {@code pgbench -S -c <connections>} (select-only, the
 * defaults otherwise: one thread, the simple query protocol; the same connection count) against the
 * same PostgreSQL server, so each route's requests/s is compared with the database's transactions/s
 * measured next to it. Prints per route requests/s, p50, p99, max, answers of status 400 or more
 * (wrk's count; a 5xx is one), the ratio to pgbench's tps, and the rate limiter's database writes
 * per request (from {@code pg_stat_user_tables} of {@code api.rate_limit_buckets}), and the share
 * of the route's reads the API served from its read cache ({@code
 * cache_gets_total{cache="api_reads"}} on {@code /metrics}); the last line is one JSON object (the
 * best round of each route, and every round).
 */
public final class ApiBench {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial");

  private final int connections;
  private final int durationSeconds;
  private final int rounds;
  private final int customers;
  private final int redeems;
  private final Path workDir;
  private final List<String> only;
  private final HttpClient http = HttpClient.newHttpClient();

  private ApiBench(
      int connections,
      int durationSeconds,
      int rounds,
      int customers,
      int redeems,
      Path workDir,
      List<String> only) {
    this.only = only;
    this.connections = connections;
    this.durationSeconds = durationSeconds;
    this.rounds = rounds;
    this.customers = customers;
    this.redeems = redeems;
    this.workDir = workDir;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = BenchSupport.options(args);
    new ApiBench(
            Integer.parseInt(opts.getOrDefault("connections", "16")),
            Integer.parseInt(opts.getOrDefault("duration", "10")),
            Integer.parseInt(opts.getOrDefault("rounds", "2")),
            Integer.parseInt(opts.getOrDefault("customers", "2000")),
            Integer.parseInt(opts.getOrDefault("redeems", "100")),
            Path.of(opts.getOrDefault("work-dir", "target/bench-api")),
            List.of(opts.getOrDefault("routes", "get,list,post").split(",")))
        .run();
    System.exit(0);
  }

  private record Route(String name, String script) {}

  private void run() throws Exception {
    Files.createDirectories(workDir);
    Map<String, Object> out = new LinkedHashMap<>();
    // The sandbox tier's soft cap (10,000/s) raised out of the way: the bench measures speed; the
    // limiter still runs on every request, with the same synchronisation every 50 ms.
    try (Sandbox sandbox =
        Sandbox.start(
            0,
            workDir.resolve("pg"),
            1,
            java.time.Clock.systemUTC(),
            Map.of("sandbox", 1_000_000L))) {
      String api = sandbox.apiUrl();
      String key = sandbox.apiKey();
      long t0 = System.nanoTime();
      List<String> ids = seedCustomers(api, key);
      say("seeded %,d customers in %.1f s", ids.size(), (System.nanoTime() - t0) / 1e9);
      t0 = System.nanoTime();
      seedRedeems(sandbox, api, key);
      say(
          "seeded %,d redeems (settled by the keeper) in %.1f s",
          redeems, (System.nanoTime() - t0) / 1e9);

      // The statistics autovacuum would have gathered within its naptime (a minute): without them
      // the planner takes the freshly seeded tables for nearly empty and pages by sorting every
      // older row of the tenant. The bench measures the steady state an integrator polls all day.
      try (Connection c = DriverManager.getConnection(sandbox.databaseUrl());
          var st = c.createStatement()) {
        st.execute("ANALYZE");
      }
      Map<String, String> pg = pgbenchTarget(sandbox.databaseUrl());
      initPgbench(pg);

      List<String> getPaths = ids.stream().map(id -> "/v1/customers/" + id).toList();
      List<String> listPaths = new ArrayList<>();
      for (int i = 0; i < ids.size(); i += 25) {
        listPaths.add("/v1/customers?limit=25&starting_after=" + ids.get(i));
      }
      List<Route> routes =
          List.of(
              new Route("get", script(key, "GET", getPaths, null)),
              new Route("list", script(key, "GET", listPaths, null)),
              new Route(
                  "post",
                  script(
                      key,
                      "POST",
                      List.of("/v1/customers"),
                      Credentials.create("0x" + "42".repeat(32)).getAddress())));
      routes = routes.stream().filter(r -> only.contains(r.name())).toList();
      // Warm-up: the JIT, the pool, the caches.
      for (Route r : routes) {
        wrk(api, r, 8);
      }
      // For reference: pgbench with a thread per core, where one thread is its own bottleneck.
      double twoThreads = pgbench(pg, 2);
      say("pgbench -S -c %d -j 2: %,.0f tps (for reference)", connections, twoThreads);
      out.put("pgbench_two_threads_tps", round(twoThreads));
      Map<String, List<Map<String, Object>>> all = new LinkedHashMap<>();
      try (Connection c = DriverManager.getConnection(sandbox.databaseUrl())) {
        for (int round = 1; round <= rounds; round++) {
          for (Route r : routes) {
            double tps = pgbench(pg, 1);
            long writesBefore = rateLimitWrites(c);
            double[] cacheBefore = readCacheGets(api);
            Map<String, Object> fig = wrk(api, r, durationSeconds);
            long writes = rateLimitWrites(c) - writesBefore;
            double[] cacheAfter = readCacheGets(api);
            double hits = cacheAfter[0] - cacheBefore[0];
            double gets = hits + cacheAfter[1] - cacheBefore[1];
            long requests = (long) fig.get("requests");
            fig.put("pgbench_tps", round(tps));
            fig.put("ratio_to_pgbench", round((double) fig.get("requests_per_second") / tps));
            fig.put(
                "rate_limit_db_writes_per_request",
                requests == 0 ? 0 : round((double) writes / requests));
            fig.put("read_cache_hit_ratio", gets == 0 ? 0 : round(hits / gets));
            say(
                "round %d %-4s: %,.0f requests/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, 4xx/5xx"
                    + " %d; pgbench -S %,.0f tps: ratio %.2f; rate-limit writes per"
                    + " request %.4f; read cache hits %.3f",
                round,
                r.name(),
                fig.get("requests_per_second"),
                fig.get("p50_ms"),
                fig.get("p99_ms"),
                fig.get("max_ms"),
                fig.get("non_2xx"),
                tps,
                fig.get("ratio_to_pgbench"),
                fig.get("rate_limit_db_writes_per_request"),
                fig.get("read_cache_hit_ratio"));
            all.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(fig);
          }
        }
      }
      out.put("connections", connections);
      out.put("duration_seconds", durationSeconds);
      out.put("customers", customers);
      out.put("redeems", redeems);
      for (var e : all.entrySet()) {
        Map<String, Object> best =
            e.getValue().stream()
                .max(
                    (a, b) ->
                        Double.compare(
                            (double) a.get("ratio_to_pgbench"), (double) b.get("ratio_to_pgbench")))
                .orElseThrow();
        out.put(e.getKey(), best);
      }
      out.put("rounds", all);
      out.put(
          "targets",
          Map.of(
              "get_ratio_min",
              0.5,
              "get_p99_ms_max",
              10,
              "list_ratio_min",
              0.3,
              "post_p99_ms_max",
              25,
              "non_2xx_max",
              0));
    }
    System.out.println(JSON.writeValueAsString(out));
  }

  /** Customers {@code bench-<i>} with wallets of their own, through the API; their ids. */
  private List<String> seedCustomers(String api, String key) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < customers; i++) {
      String wallet =
          Credentials.create(BigInteger.valueOf(1_000_000L + i).toString(16)).getAddress();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(api + "/v1/customers"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"external_id\":\"bench-" + i + "\",\"wallet\":\"" + wallet + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201 && r.statusCode() != 200) {
        throw new IllegalStateException("seeding customer " + i + ": " + r.body());
      }
      ids.add(JSON.readTree(r.body()).get("id").asString());
    }
    return ids;
  }

  /**
   * Redeem orders from sandbox wallet 0 (a customer of the sandbox tenant) on the demo chain, then
   * waits until the API shows every one settled (the keeper offsets and settles them).
   */
  private void seedRedeems(Sandbox sandbox, String api, String key) throws Exception {
    var d = sandbox.deployment();
    Web3j web3j = Web3j.build(new HttpService(d.rpcUrl()));
    try {
      Credentials owner = DevAccounts.wallet(0);
      BigInteger one = BigInteger.TEN.pow(6);
      String aapl =
          ContractDeployer.fundRedeemer(
              web3j, d, owner, "AAPL", one.multiply(BigInteger.valueOf(redeems)));
      var tm = new FastRawTransactionManager(web3j, owner, d.chainId(), new NoOpProcessor(web3j));
      var gas =
          new StaticEIP1559GasProvider(
              d.chainId(),
              BigInteger.valueOf(50_000_000_000L),
              BigInteger.ONE,
              BigInteger.valueOf(400_000));
      OrderBook book = OrderBook.load(d.orderBook(), web3j, tm, gas);
      for (int i = 0; i < redeems; i++) {
        book.createRedeem(aapl, one, d.usdc(), BigInteger.ONE, owner.getAddress()).send();
      }
      String wallet = owner.getAddress();
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (settled(api, key, wallet) < redeems) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("redeems not settled after 5 minutes");
        }
        Thread.sleep(1000);
      }
    } finally {
      web3j.shutdown();
    }
  }

  /** Settled redeems of {@code wallet}, counted page by page through the API. */
  private long settled(String api, String key, String wallet) throws Exception {
    long n = 0;
    String after = null;
    while (true) {
      String url =
          api
              + "/v1/redeems?limit=100&wallet="
              + wallet
              + (after == null ? "" : "&starting_after=" + after);
      JsonNode page =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create(url))
                          .header("Authorization", "Bearer " + key)
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      for (JsonNode r : page.get("data")) {
        if ("settled".equals(r.get("status").asString())) {
          n++;
        }
      }
      if (!page.get("has_more").asBoolean()) {
        return n;
      }
      after = page.get("next_cursor").asString();
    }
  }

  /**
   * A wrk Lua script: the method, the path (one of {@code paths} at random, each request), headers
   * and body, and a JSON summary at the end.
   */
  private String script(String key, String method, List<String> paths, String postWallet)
      throws IOException {
    StringBuilder lua = new StringBuilder();
    lua.append("wrk.method = \"").append(method).append("\"\n");
    lua.append("wrk.path = \"").append(paths.getFirst()).append("\"\n");
    lua.append("wrk.headers[\"Authorization\"] = \"Bearer ").append(key).append("\"\n");
    if (postWallet != null) {
      lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
      lua.append("local wallet = \"").append(postWallet).append("\"\n");
      // A fresh Idempotency-Key and a new customer on every request: thread id and a counter.
      lua.append(
          """
          local threads = {}
          local counter = 0
          local tid = 0
          function setup(thread)
            thread:set("tid", #threads + 1)
            table.insert(threads, thread)
          end
          function init(args)
            tid = wrk.thread:get("tid")
          end
          function request()
            counter = counter + 1
            local id = tid .. "-" .. counter .. "-" .. os.time()
            wrk.headers["Idempotency-Key"] = "bench-" .. id
            return wrk.format(nil, nil, nil,
              '{"external_id":"bench-post-' .. id .. '","wallet":"' .. wallet .. '"}')
          end
          """);
    } else if (paths.size() > 1) {
      lua.append("local paths = {\n");
      for (String path : paths) {
        lua.append("  \"").append(path).append("\",\n");
      }
      lua.append(
          """
          }
          local threads = {}
          function setup(thread)
            thread:set("tid", #threads + 1)
            table.insert(threads, thread)
          end
          function init(args)
            math.randomseed(os.time() * 100 + wrk.thread:get("tid"))
          end
          function request()
            return wrk.format(nil, paths[math.random(#paths)])
          end
          """);
    }
    lua.append(
        """
        function done(summary, latency, requests)
          io.write(string.format(
            '{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"non_2xx":%d,"socket_errors":%d}\\n',
            summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
            latency.max, summary.errors.status,
            summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
        end
        """);
    Path file = workDir.resolve(method.toLowerCase() + "-" + Math.abs(paths.hashCode()) + ".lua");
    Files.writeString(file, lua.toString());
    return file.toString();
  }

  /** Runs wrk on one route; its figures. */
  private Map<String, Object> wrk(String api, Route r, int seconds) throws Exception {
    Process p =
        new ProcessBuilder(
                "wrk",
                "-t2",
                "-c" + connections,
                "-d" + seconds + "s",
                "--latency",
                "-s",
                r.script(),
                api)
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("wrk failed: " + output);
    }
    String line =
        output.lines().filter(l -> l.startsWith("{\"requests\"")).reduce((a, b) -> b).orElseThrow();
    JsonNode j = JSON.readTree(line);
    Map<String, Object> fig = new LinkedHashMap<>();
    long requests = j.get("requests").asLong();
    double secondsRun = j.get("duration_us").asLong() / 1e6;
    fig.put("requests", requests);
    fig.put("requests_per_second", round(requests / secondsRun));
    fig.put("p50_ms", round(j.get("p50_us").asLong() / 1000.0));
    fig.put("p99_ms", round(j.get("p99_us").asLong() / 1000.0));
    fig.put("max_ms", round(j.get("max_us").asLong() / 1000.0));
    // wrk counts answers with a status of 400 or more; a 5xx is one of them.
    fig.put("non_2xx", j.get("non_2xx").asLong());
    fig.put("socket_errors", j.get("socket_errors").asLong());
    return fig;
  }

  private static final Pattern CACHE_GETS =
      Pattern.compile("cache_gets_total\\{cache=\"api_reads\",result=\"(hit|miss)\"} ([0-9.E]+)");

  /** The API's read cache's hits and misses so far ({@code /metrics}). */
  private double[] readCacheGets(String api) throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(api + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double[] out = new double[2];
    Matcher m = CACHE_GETS.matcher(metrics);
    while (m.find()) {
      out[m.group(1).equals("hit") ? 0 : 1] = Double.parseDouble(m.group(2));
    }
    return out;
  }

  /** Host, port, user of the sandbox's PostgreSQL, from its JDBC URL. */
  private static Map<String, String> pgbenchTarget(String jdbcUrl) {
    Matcher m =
        Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/[^?]+\\?user=([^&]+).*")
            .matcher(jdbcUrl);
    if (!m.matches()) {
      throw new IllegalStateException("unexpected database URL " + jdbcUrl);
    }
    return Map.of("host", m.group(1), "port", m.group(2), "user", m.group(3));
  }

  /** Creates database {@code pgbench} on the same server and initialises it at scale 10. */
  private void initPgbench(Map<String, String> pg) throws Exception {
    String admin =
        "jdbc:postgresql://"
            + pg.get("host")
            + ":"
            + pg.get("port")
            + "/postgres?user="
            + pg.get("user");
    try (Connection c = DriverManager.getConnection(admin)) {
      c.createStatement().execute("DROP DATABASE IF EXISTS pgbench");
      c.createStatement().execute("CREATE DATABASE pgbench");
    }
    exec(pgbenchCommand(pg, "-i", "-q", "-s", "10"));
  }

  /**
   * {@code pgbench -S -c <connections> -j <threads>} (select-only, the default simple query
   * protocol) for the bench's duration; its tps.
   */
  private double pgbench(Map<String, String> pg, int threads) throws Exception {
    String output =
        exec(
            pgbenchCommand(
                pg,
                "-S",
                "-c",
                Integer.toString(connections),
                "-j",
                Integer.toString(threads),
                "-T",
                Integer.toString(durationSeconds)));
    Matcher m = TPS.matcher(output);
    if (!m.find()) {
      throw new IllegalStateException("no tps in pgbench output: " + output);
    }
    return Double.parseDouble(m.group(1));
  }

  /** {@code pgbench <options>} against database {@code pgbench} of the sandbox's server. */
  private static List<String> pgbenchCommand(Map<String, String> pg, String... options) {
    List<String> out = new ArrayList<>(List.of("pgbench"));
    out.addAll(List.of(options));
    out.addAll(
        List.of("-h", pg.get("host"), "-p", pg.get("port"), "-U", pg.get("user"), "pgbench"));
    return out;
  }

  private static String exec(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }

  /** Rows written to the shared rate-limit buckets so far (inserts and updates). */
  private static long rateLimitWrites(Connection c) throws Exception {
    return count(
        c,
        "SELECT coalesce((SELECT n_tup_ins + n_tup_upd FROM pg_stat_user_tables"
            + " WHERE schemaname = 'api' AND relname = 'rate_limit_buckets'), 0)");
  }
}
