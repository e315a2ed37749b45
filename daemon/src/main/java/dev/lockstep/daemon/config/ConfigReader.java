package dev.lockstep.daemon.config;

import dev.lockstep.daemon.DaemonConfig;
import dev.lockstep.daemon.DaemonConfig.Adapter;
import dev.lockstep.daemon.DaemonConfig.Collaborators;
import dev.lockstep.daemon.DaemonConfig.Endpoint;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.model.LogVerification;
import dev.lockstep.indexer.model.TokenKind;
import dev.lockstep.keeper.tx.TxEngineConfig;
import dev.lockstep.ports.Mode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and validates the daemon's JSON configuration file (README "Configuration") before anything
 * starts: every problem is one line naming the key by its path, what is wrong and an example, and
 * all of them are reported together in a {@link ConfigException}. Each command reads what it needs:
 * {@code index} only {@code database_url}, {@code chains} and {@code management}; {@code run}
 * everything. Keys of the other command are accepted and ignored, unknown keys are refused (a typo
 * would otherwise be silently dropped).
 */
public final class ConfigReader {
  private static final Pattern PRIVATE_KEY = Pattern.compile("0x[0-9a-fA-F]{64}");

  private static final List<String> INDEX_KEYS = List.of("database_url", "chains", "management");
  private static final List<String> RUN_KEYS =
      List.of(
          "mode",
          "api_host",
          "api_port",
          "keeper_private_key",
          "signer",
          "broker",
          "price_feed",
          "venue_calendar",
          "mark_prices_usd",
          "broker_fill_delay",
          "keeper_interval",
          "keeper_tx",
          "rate_limits",
          "database_pool_size",
          "settlement_wallets",
          "secrets_key",
          "secrets_key_env");
  private static final List<String> CHAIN_KEYS =
      List.of(
          "chain_id",
          "name",
          "rpc_urls",
          "ws_url",
          "confirmations",
          "finality_depth",
          "start_block",
          "factory",
          "order_book",
          "tokens",
          "poll_interval",
          "max_block_range",
          "fetch_concurrency",
          "target_logs_per_range",
          "request_timeout",
          "stall_after",
          "verify");
  private static final List<String> TOKEN_KEYS =
      List.of("symbol", "address", "decimals", "kind", "start_block");
  private static final List<String> TX_KEYS =
      List.of(
          "confirmations",
          "max_fee_per_gas_cap_wei",
          "min_priority_fee_wei",
          "replace_after",
          "max_replacements",
          "bump_percent",
          "max_in_flight",
          "gas_headroom_percent",
          "rebroadcast_after",
          "lease_ttl",
          "stuck_after");

  private ConfigReader() {}

  /**
   * The configuration of {@code lockstep index}.
   *
   * @throws ConfigException every problem of the file, one line each
   */
  public static IndexConfig readIndex(Path file) {
    List<String> problems = new ArrayList<>();
    ConfigNode root = root(file, problems);
    IndexConfig index = indexPart(root);
    done(file, problems);
    return index;
  }

  /**
   * Only the database of a configuration file, for the administration commands ({@code tenants},
   * {@code keys}).
   *
   * @throws ConfigException if {@code database_url} is missing or not a PostgreSQL URL
   */
  public static String readDatabaseUrl(Path file) {
    List<String> problems = new ArrayList<>();
    Optional<String> db = databaseUrl(root(file, problems));
    done(file, problems);
    return db.orElseThrow();
  }

  /**
   * A PostgreSQL URL given on the command line, in JDBC or libpq form.
   *
   * @throws ConfigException if it is neither
   */
  public static String databaseUrl(String url) {
    return DatabaseUrls.toJdbc(url)
        .orElseThrow(
            () ->
                new ConfigException(
                    "--database-url",
                    List.of(
                        "--database-url: must be a postgresql:// or jdbc:postgresql:// URL; e.g."
                            + " postgresql://lockstep:secret@db:5432/lockstep")));
  }

  /**
   * The configuration of {@code lockstep run}.
   *
   * @throws ConfigException every problem of the file, one line each
   */
  public static DaemonConfig readRun(Path file) {
    List<String> problems = new ArrayList<>();
    ConfigNode root = root(file, problems);
    IndexConfig index = indexPart(root);
    Optional<Mode> mode = mode(root);
    String apiHost = root.string("api_host", "\"api_host\": \"0.0.0.0\"").orElse("127.0.0.1");
    int apiPort = (int) root.integer("api_port", 0, 65535, "\"api_port\": 8080").orElse(8080);
    Collaborators collaborators = collaborators(root);
    Duration keeperInterval =
        root.duration("keeper_interval", "\"keeper_interval\": \"PT0.5S\"")
            .orElse(Duration.ofMillis(500));
    TxEngineConfig tx = keeperTx(root);
    Map<String, Long> rateLimits = rateLimits(root);
    int poolSize =
        (int)
            root.integer("database_pool_size", 2, 200, "\"database_pool_size\": 16")
                .orElse(DaemonConfig.DEFAULT_POOL_SIZE);
    Optional<String> secretsKey = secretsKey(root, mode);
    done(file, problems);
    return new DaemonConfig(
        index.databaseUrl(),
        index.chains(),
        mode.orElseThrow(),
        apiHost,
        apiPort,
        index.management(),
        collaborators,
        keeperInterval,
        tx,
        rateLimits,
        poolSize,
        secretsKey);
  }

  /**
   * The key webhook signing secrets are sealed under: {@code secrets_key_env} (the name of an
   * environment variable holding it) or {@code secrets_key}, 32 bytes as 64 hex digits. Required in
   * live mode.
   */
  private static Optional<String> secretsKey(ConfigNode root, Optional<Mode> mode) {
    String example = "\"secrets_key_env\": \"LOCKSTEP_SECRETS_KEY\"";
    Optional<String> env = root.string("secrets_key_env", example);
    String from = env.isPresent() ? "secrets_key_env" : "secrets_key";
    Optional<String> key =
        env.isPresent()
            ? Optional.ofNullable(System.getenv(env.get())).map(String::strip)
            : root.string("secrets_key", example);
    if (env.isPresent() && key.filter(k -> !k.isEmpty()).isEmpty()) {
      root.problem(from, "names " + env.get() + ", which is not set", example);
      return Optional.empty();
    }
    if (key.isPresent() && !key.get().matches("(0x)?[0-9a-fA-F]{64}")) {
      root.problem(
          from,
          "the secrets key must be 32 bytes as 64 hex digits (openssl rand -hex 32)",
          example);
      return Optional.empty();
    }
    if (key.isEmpty() && mode.equals(Optional.of(Mode.LIVE))) {
      root.problem(
          "secrets_key_env",
          "a live daemon seals webhook signing secrets at rest and needs the key (32 bytes, 64 hex"
              + " digits; the same on every daemon of the database)",
          example);
    }
    return key;
  }

  /**
   * What every command reads: refuses unknown keys, then reads the database, chains and management
   * endpoint; the values are placeholders when a problem was found (the caller throws then).
   */
  private static IndexConfig indexPart(ConfigNode root) {
    List<String> known = new ArrayList<>(INDEX_KEYS);
    known.addAll(RUN_KEYS);
    root.onlyKeys(known);
    String db = databaseUrl(root).orElse("");
    List<ChainConfig> chains = chains(root);
    Optional<Endpoint> management = management(root);
    return new IndexConfig(db, chains, management);
  }

  private static ConfigNode root(Path file, List<String> problems) {
    JsonNode tree;
    try {
      tree = JsonMapper.builder().build().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("cannot read the file: " + e));
    } catch (JacksonException e) {
      throw new ConfigException(
          file.toString(), List.of("not valid JSON: " + e.getOriginalMessage()));
    }
    if (tree == null || !tree.isObject()) {
      throw new ConfigException(file.toString(), List.of("the file must hold one JSON object"));
    }
    return new ConfigNode("", tree, problems);
  }

  private static void done(Path file, List<String> problems) {
    if (!problems.isEmpty()) {
      throw new ConfigException(file.toString(), problems);
    }
  }

  private static Optional<String> databaseUrl(ConfigNode root) {
    String example = "\"database_url\": \"postgresql://lockstep:secret@db:5432/lockstep\"";
    return root.requiredString("database_url", example)
        .flatMap(
            url -> {
              Optional<String> jdbc = DatabaseUrls.toJdbc(url);
              if (jdbc.isEmpty()) {
                root.problem(
                    "database_url", "must be a postgresql:// or jdbc:postgresql:// URL", example);
              }
              return jdbc;
            });
  }

  private static Optional<Mode> mode(ConfigNode root) {
    String example = "\"mode\": \"live\"";
    return root.requiredString("mode", example)
        .flatMap(
            m -> {
              for (Mode v : Mode.values()) {
                if (v.dbValue().equals(m)) {
                  return Optional.of(v);
                }
              }
              root.problem("mode", "'" + m + "' must be test or live", example);
              return Optional.empty();
            });
  }

  private static Optional<Endpoint> management(ConfigNode root) {
    String example = "\"management\": {\"host\": \"0.0.0.0\", \"port\": 9464}";
    return root.object("management", example)
        .flatMap(
            m -> {
              m.onlyKeys(List.of("host", "port"));
              String host = m.string("host", example).orElse("127.0.0.1");
              OptionalLong port = m.requiredInteger("port", 0, 65535, example);
              return port.isPresent()
                  ? Optional.of(new Endpoint(host, (int) port.getAsLong()))
                  : Optional.empty();
            });
  }

  private static List<ChainConfig> chains(ConfigNode root) {
    String example =
        "\"chains\": [{\"chain_id\": 8453, \"rpc_urls\": [\"https://mainnet.base.org\"]}]";
    if (!root.has("chains")) {
      root.problem("chains", "missing", example);
      return List.of();
    }
    List<JsonNode> elements = root.array("chains", example);
    if (elements.isEmpty() && root.raw().get("chains").isArray()) {
      root.problem("chains", "needs at least one chain", example);
    }
    List<ChainConfig> out = new ArrayList<>();
    Set<Long> ids = new java.util.HashSet<>();
    for (int i = 0; i < elements.size(); i++) {
      root.element("chains", i, elements.get(i), example)
          .flatMap(ConfigReader::chain)
          .ifPresent(
              c -> {
                if (!ids.add(c.chainId())) {
                  root.problem("chains", "chain_id " + c.chainId() + " appears twice", "");
                }
                out.add(c);
              });
    }
    return out;
  }

  private static Optional<ChainConfig> chain(ConfigNode c) {
    c.onlyKeys(CHAIN_KEYS);
    OptionalLong id = c.requiredInteger("chain_id", 1, Long.MAX_VALUE, "\"chain_id\": 8453");
    String urlsExample =
        "\"rpc_urls\": [\"https://primary.example\", \"https://fallback.example\"]";
    List<String> urls = new ArrayList<>();
    if (!c.has("rpc_urls")) {
      c.problem(c.key("rpc_urls"), "missing", urlsExample);
    }
    List<JsonNode> rawUrls = c.array("rpc_urls", urlsExample);
    for (int i = 0; i < rawUrls.size(); i++) {
      c.url(
              c.key("rpc_urls") + "[" + i + "]",
              rawUrls.get(i),
              List.of("http", "https"),
              urlsExample)
          .ifPresent(urls::add);
    }
    if (c.has("rpc_urls") && rawUrls.isEmpty() && c.raw().get("rpc_urls").isArray()) {
      c.problem(c.key("rpc_urls"), "needs at least one URL", urlsExample);
    }
    Optional<String> ws =
        c.has("ws_url")
            ? c.url(
                c.key("ws_url"),
                c.raw().get("ws_url"),
                List.of("ws", "wss"),
                "\"ws_url\": \"wss://mainnet.base.org\"")
            : Optional.empty();
    long startBlock = c.integer("start_block", 0, Long.MAX_VALUE, "\"start_block\": 0").orElse(0);
    OptionalLong confirmations = c.integer("confirmations", 0, 10_000, "\"confirmations\": 0");
    OptionalLong finality = c.integer("finality_depth", 0, 100_000, "\"finality_depth\": 64");
    Optional<String> factory = c.address("factory", false);
    Optional<String> orderBook = c.address("order_book", false);
    List<ChainConfig.Erc20> tokens = tokens(c, startBlock);
    OptionalLong maxRange = c.integer("max_block_range", 1, 1_000_000, "\"max_block_range\": 2000");
    OptionalLong concurrency = c.integer("fetch_concurrency", 1, 64, "\"fetch_concurrency\": 4");
    OptionalLong target =
        c.integer("target_logs_per_range", 1, 1_000_000, "\"target_logs_per_range\": 10000");
    Optional<Duration> poll = c.duration("poll_interval", "\"poll_interval\": \"PT0.2S\"");
    Optional<Duration> timeout = c.duration("request_timeout", "\"request_timeout\": \"PT10S\"");
    Optional<Duration> stall = c.duration("stall_after", "\"stall_after\": \"PT30S\"");
    Optional<String> name = c.string("name", "\"name\": \"base\"");
    String verifyExample = "\"verify\": \"bloom\"";
    Optional<LogVerification> verify =
        c.string("verify", verifyExample)
            .flatMap(
                v -> {
                  for (LogVerification m : LogVerification.values()) {
                    if (m.dbValue().equals(v)) {
                      return Optional.of(m);
                    }
                  }
                  c.problem(
                      c.key("verify"),
                      "'" + v + "' must be none, bloom or receipts",
                      verifyExample);
                  return Optional.empty();
                });
    if (confirmations.isPresent()
        && finality.isPresent()
        && finality.getAsLong() < confirmations.getAsLong()) {
      c.problem(
          c.key("finality_depth"), "must be at least confirmations", "\"finality_depth\": 64");
    }
    if (id.isEmpty() || urls.isEmpty()) {
      return Optional.empty();
    }
    ChainConfig.Builder b =
        ChainConfig.builder(id.getAsLong(), urls.getFirst()).rpcUrls(urls).startBlock(startBlock);
    name.ifPresent(b::name);
    ws.ifPresent(b::wsUrl);
    factory.ifPresent(b::factory);
    orderBook.ifPresent(b::orderBook);
    tokens.forEach(b::token);
    confirmations.ifPresent(v -> b.confirmations((int) v));
    finality.ifPresent(v -> b.finalityDepth((int) v));
    maxRange.ifPresent(v -> b.maxBlockRange((int) v));
    concurrency.ifPresent(v -> b.fetchConcurrency((int) v));
    target.ifPresent(v -> b.targetLogsPerRange((int) v));
    poll.ifPresent(b::pollInterval);
    timeout.ifPresent(b::requestTimeout);
    stall.ifPresent(b::stallAfter);
    verify.ifPresent(b::verification);
    try {
      return Optional.of(b.build());
    } catch (IllegalArgumentException e) {
      c.problem(c.key("chain_id"), e.getMessage(), "");
      return Optional.empty();
    }
  }

  private static List<ChainConfig.Erc20> tokens(ConfigNode c, long chainStart) {
    String example =
        "\"tokens\": [{\"symbol\": \"USDC\", \"address\": \"0x833589fcd6edb6e08f4c7c32d4f71b54bda02913\","
            + " \"decimals\": 6, \"kind\": \"stablecoin\"}]";
    List<ChainConfig.Erc20> out = new ArrayList<>();
    List<JsonNode> raw = c.array("tokens", example);
    for (int i = 0; i < raw.size(); i++) {
      c.element("tokens", i, raw.get(i), example)
          .flatMap(t -> token(t, chainStart))
          .ifPresent(out::add);
    }
    return out;
  }

  private static Optional<ChainConfig.Erc20> token(ConfigNode t, long chainStart) {
    t.onlyKeys(TOKEN_KEYS);
    Optional<String> symbol = t.requiredString("symbol", "\"symbol\": \"USDC\"");
    symbol
        .filter(s -> s.length() > 32)
        .ifPresent(
            s -> t.problem(t.key("symbol"), "longer than 32 characters", "\"symbol\": \"USDC\""));
    Optional<String> address = t.address("address", true);
    OptionalLong decimals = t.requiredInteger("decimals", 0, 36, "\"decimals\": 6");
    String kindExample = "\"kind\": \"stablecoin\"";
    TokenKind kind = TokenKind.STABLECOIN;
    Optional<String> k = t.string("kind", kindExample);
    if (k.isPresent()) {
      if (k.get().equals("stablecoin") || k.get().equals("erc20")) {
        kind = k.get().equals("erc20") ? TokenKind.ERC20 : TokenKind.STABLECOIN;
      } else {
        t.problem(t.key("kind"), "'" + k.get() + "' must be stablecoin or erc20", kindExample);
      }
    }
    long start =
        t.integer("start_block", 0, Long.MAX_VALUE, "\"start_block\": 120000").orElse(chainStart);
    if (symbol.isEmpty() || address.isEmpty() || decimals.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ChainConfig.Erc20(
            symbol.get(), address.get(), (int) decimals.getAsLong(), kind, start));
  }

  private static Collaborators collaborators(ConfigNode root) {
    Map<String, BigDecimal> marks = new LinkedHashMap<>();
    String marksExample = "\"mark_prices_usd\": {\"AAPL\": 187.42}";
    root.object("mark_prices_usd", marksExample)
        .ifPresent(
            m ->
                m.raw()
                    .properties()
                    .forEach(
                        e ->
                            m.positiveDecimal(m.key(e.getKey()), e.getValue(), marksExample)
                                .ifPresent(v -> marks.put(e.getKey(), v))));
    Map<String, String> brokerDefaults = new LinkedHashMap<>();
    root.duration("broker_fill_delay", "\"broker_fill_delay\": \"PT2S\"")
        .ifPresent(d -> brokerDefaults.put("fill_delay", d.toString()));
    Map<String, String> signerDefaults = new LinkedHashMap<>();
    root.string("keeper_private_key", "\"keeper_private_key\": \"0x…(64 hex digits)\"")
        .ifPresent(k -> signerDefaults.put("private_key", k));
    Adapter broker = adapter(root, "broker", DaemonConfig.SIMULATED, brokerDefaults);
    Adapter prices = adapter(root, "price_feed", DaemonConfig.SIMULATED, Map.of());
    Adapter calendar = adapter(root, "venue_calendar", DaemonConfig.ALWAYS_OPEN, Map.of());
    Adapter signer = adapter(root, "signer", DaemonConfig.LOCAL_KEY, signerDefaults);
    if (signer.name().equals(DaemonConfig.LOCAL_KEY)) {
      checkLocalKey(root, signer);
    }
    Adapter wallets = adapter(root, "settlement_wallets", DaemonConfig.DERIVED, Map.of());
    Optional<Adapter> pauser =
        root.raw().has("pauser")
            ? Optional.of(adapter(root, "pauser", DaemonConfig.LOCAL_KEY, Map.of()))
            : Optional.empty();
    pauser
        .filter(a -> a.name().equals(DaemonConfig.LOCAL_KEY))
        .filter(a -> a.setting("private_key").isEmpty() && a.setting("private_key_env").isEmpty())
        .ifPresent(
            a ->
                root.problem(
                    "pauser",
                    "the pauser needs a key: private_key or private_key_env",
                    "\"pauser\": {\"adapter\": \"local_key\", \"private_key_env\":"
                        + " \"LOCKSTEP_PAUSER_KEY\"}"));
    return new Collaborators(broker, prices, calendar, signer, wallets, marks, pauser);
  }

  /**
   * The section {@code role}: {@code {"adapter": NAME, other settings…}}; absent, the built-in
   * {@code fallback} with {@code defaults} (not named, so live mode refuses a simulator).
   */
  private static Adapter adapter(
      ConfigNode root, String role, String fallback, Map<String, String> defaults) {
    String example = "\"" + role + "\": {\"adapter\": \"" + fallback + "\"}";
    Optional<ConfigNode> section = root.object(role, example);
    if (section.isEmpty()) {
      return new Adapter(fallback, defaults, false);
    }
    ConfigNode s = section.get();
    String name = s.requiredString("adapter", example).orElse(fallback);
    Map<String, String> settings = new LinkedHashMap<>(defaults);
    s.raw()
        .properties()
        .forEach(
            e -> {
              if (e.getKey().equals("adapter")) {
                return;
              }
              JsonNode v = e.getValue();
              if (v.isObject() || v.isArray() || v.isNull()) {
                s.problem(
                    s.key(e.getKey()), "adapter settings are strings, numbers or booleans", "");
              } else {
                settings.put(e.getKey(), v.asString());
              }
            });
    if (name.equals(DaemonConfig.SIMULATED) && role.equals("broker")) {
      for (String key : List.of("fill_delay", "clearing_delay")) {
        Optional.ofNullable(settings.get(key))
            .ifPresent(
                d -> {
                  try {
                    if (Duration.parse(d).isNegative()) {
                      s.problem(s.key(key), "'" + d + "' is negative", "\"" + key + "\": \"PT2S\"");
                    }
                  } catch (RuntimeException e) {
                    s.problem(
                        s.key(key),
                        "'" + d + "' is not an ISO-8601 duration",
                        "\"" + key + "\": \"PT2S\"");
                  }
                });
      }
    }
    if (name.equals(DaemonConfig.SIMULATED) && role.equals("price_feed")) {
      Optional.ofNullable(settings.get("walk_seed"))
          .filter(v -> !v.matches("-?\\d{1,18}"))
          .ifPresent(
              v ->
                  s.problem(
                      s.key("walk_seed"), "'" + v + "' is not an integer", "\"walk_seed\": 7"));
      Optional.ofNullable(settings.get("volatility_bps"))
          .filter(v -> !v.matches("\\d{1,4}") || Integer.parseInt(v) > 1_000)
          .ifPresent(
              v ->
                  s.problem(
                      s.key("volatility_bps"),
                      "'" + v + "' is not 0-1000 basis points",
                      "\"volatility_bps\": 2"));
    }
    return new Adapter(name, settings, true);
  }

  private static void checkLocalKey(ConfigNode root, Adapter signer) {
    String example =
        "\"signer\": {\"adapter\": \"local_key\", \"private_key_env\": \"LOCKSTEP_KEEPER_KEY\"}";
    Optional<String> key = signer.setting("private_key");
    if (key.isEmpty() && signer.setting("private_key_env").isEmpty()) {
      root.problem(
          "signer", "the keeper needs a key: keeper_private_key, or a signer section", example);
    } else if (key.isPresent() && !PRIVATE_KEY.matcher(key.get()).matches()) {
      root.problem(
          signer.named() ? "signer.private_key" : "keeper_private_key",
          "must be 0x and 64 hex digits (a secp256k1 private key)",
          example);
    }
  }

  private static TxEngineConfig keeperTx(ConfigNode root) {
    TxEngineConfig d = TxEngineConfig.defaults();
    Optional<ConfigNode> tx =
        root.object("keeper_tx", "\"keeper_tx\": {\"replace_after\": \"PT15S\"}");
    if (tx.isEmpty()) {
      return d;
    }
    ConfigNode t = tx.get();
    t.onlyKeys(TX_KEYS);
    TxEngineConfig out =
        new TxEngineConfig(
            (int)
                t.integer("confirmations", 1, 10_000, "\"confirmations\": 1")
                    .orElse(d.confirmations()),
            t
                .integer(
                    "max_fee_per_gas_cap_wei",
                    1,
                    Long.MAX_VALUE,
                    "\"max_fee_per_gas_cap_wei\": 500000000000")
                .stream()
                .mapToObj(java.math.BigInteger::valueOf)
                .findFirst()
                .orElse(d.maxFeePerGasCapWei()),
            t
                .integer(
                    "min_priority_fee_wei",
                    0,
                    Long.MAX_VALUE,
                    "\"min_priority_fee_wei\": 1000000000")
                .stream()
                .mapToObj(java.math.BigInteger::valueOf)
                .findFirst()
                .orElse(d.minPriorityFeeWei()),
            t.duration("replace_after", "\"replace_after\": \"PT15S\"").orElse(d.replaceAfter()),
            (int)
                t.integer("max_replacements", 0, 100, "\"max_replacements\": 3")
                    .orElse(d.maxReplacements()),
            (int)
                t.integer("bump_percent", 10, 1000, "\"bump_percent\": 25").orElse(d.bumpPercent()),
            (int)
                t.integer("max_in_flight", 1, 100_000, "\"max_in_flight\": 1000")
                    .orElse(d.maxInFlight()),
            (int)
                t.integer("gas_headroom_percent", 0, 1000, "\"gas_headroom_percent\": 20")
                    .orElse(d.gasHeadroomPercent()),
            t.duration("rebroadcast_after", "\"rebroadcast_after\": \"PT10S\"")
                .orElse(d.rebroadcastAfter()),
            t.duration("lease_ttl", "\"lease_ttl\": \"PT15S\"").orElse(d.leaseTtl()),
            d.finalityDepth(),
            t.duration("stuck_after", "\"stuck_after\": \"PT2M\"").orElse(d.stuckAfter()));
    return out;
  }

  private static Map<String, Long> rateLimits(ConfigNode root) {
    String example = "\"rate_limits\": {\"startup\": 500}";
    Map<String, Long> out = new LinkedHashMap<>();
    root.object("rate_limits", example)
        .ifPresent(
            r ->
                r.raw()
                    .propertyNames()
                    .forEach(
                        tier -> {
                          if (!List.of("startup", "growth", "scale", "enterprise", "sandbox")
                              .contains(tier)) {
                            r.problem(
                                r.key(tier),
                                "unknown tier (startup, growth, scale, enterprise, sandbox)",
                                example);
                          } else {
                            r.integer(tier, 1, 1_000_000, example).ifPresent(v -> out.put(tier, v));
                          }
                        }));
    return out;
  }
}
