package dev.lockstep.daemon;

import dev.lockstep.daemon.DaemonConfig.Adapter;
import dev.lockstep.daemon.DaemonConfig.Collaborators;
import dev.lockstep.daemon.config.ConfigException;
import dev.lockstep.keeper.broker.PrimeBroker;
import dev.lockstep.keeper.broker.SimulatedBroker;
import dev.lockstep.keeper.price.SimulatedPriceFeed;
import dev.lockstep.keeper.tx.LocalKeySigner;
import dev.lockstep.keeper.tx.TxSigner;
import dev.lockstep.keeper.venue.ExchangeCalendar;
import dev.lockstep.keeper.wallet.DerivedSettlementWallets;
import dev.lockstep.ports.AdapterFactory;
import dev.lockstep.ports.Mode;
import dev.lockstep.ports.PriceFeed;
import dev.lockstep.ports.VenueCalendar;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * Creates the off-chain collaborators the configuration names: the built-in simulators and local
 * key, or an {@link AdapterFactory} found on the classpath. In live mode a simulator runs only if
 * the configuration named it; the daemon then says so in a WARN line at start.
 */
final class Adapters {
  private static final Logger log = LoggerFactory.getLogger(Adapters.class);

  /** The simulated price feed ticks this often. */
  private static final Duration PRICE_TICK = Duration.ofSeconds(5);

  private Adapters() {}

  /**
   * Refuses a live daemon whose collaborators fall back to simulators the configuration did not
   * name.
   *
   * @throws ConfigException one line per unnamed simulator
   */
  static void checkLive(Mode mode, Collaborators c) {
    if (mode != Mode.LIVE) {
      return;
    }
    List<String> problems = new ArrayList<>();
    live(problems, "broker", c.broker(), DaemonConfig.SIMULATED);
    live(problems, "price_feed", c.priceFeed(), DaemonConfig.SIMULATED);
    live(problems, "venue_calendar", c.venueCalendar(), DaemonConfig.ALWAYS_OPEN);
    if (!problems.isEmpty()) {
      throw new ConfigException("live mode", problems);
    }
  }

  private static void live(List<String> problems, String role, Adapter a, String simulator) {
    if (!a.name().equals(simulator)) {
      return;
    }
    if (!a.named()) {
      problems.add(
          role
              + ": live mode will not fall back to the "
              + simulator
              + " simulator; configure a real adapter, or name the simulator to run on it anyway;"
              + " e.g. \""
              + role
              + "\": {\"adapter\": \""
              + simulator
              + "\"}");
    } else {
      log.warn(
          "live mode with the {} simulator as {} (named in the configuration)", simulator, role);
    }
  }

  /**
   * Refuses, before anything connects, an adapter name that is neither built in nor provided by an
   * {@link AdapterFactory} on the classpath.
   *
   * @throws ConfigException naming the role and the adapters found
   */
  static void checkResolvable(Collaborators c) {
    resolvable("broker", c.broker(), DaemonConfig.SIMULATED, PrimeBroker.class);
    resolvable("price_feed", c.priceFeed(), DaemonConfig.SIMULATED, PriceFeed.class);
    if (!c.venueCalendar().name().equals(DaemonConfig.EXCHANGE)) {
      resolvable(
          "venue_calendar", c.venueCalendar(), DaemonConfig.ALWAYS_OPEN, VenueCalendar.class);
    }
    resolvable("signer", c.signer(), DaemonConfig.LOCAL_KEY, TxSigner.class);
  }

  private static void resolvable(String role, Adapter a, String builtIn, Class<?> type) {
    if (!a.name().equals(builtIn)) {
      factory(role, a, type);
    }
  }

  /**
   * The broker. The simulated one fills {@code fill_delay} after a request (default 2 s), at the
   * price feed's mark when it was requested, and clears each fill on its venue's cycle ({@code
   * calendar}), or {@code clearing_delay} after the fill when that setting is given (the sandbox's
   * compressed cycles; {@code PT0S}: at once).
   */
  static PrimeBroker broker(
      Collaborators c, Jdbi jdbi, VenueCalendar calendar, PriceFeed prices, Clock clock) {
    Adapter a = c.broker();
    if (a.name().equals(DaemonConfig.SIMULATED)) {
      Duration delay = a.setting("fill_delay").map(Duration::parse).orElse(Duration.ofSeconds(2));
      // The broker's attester signs fills with a key of its own, never the keeper's.
      Credentials attester =
          Credentials.create(
              privateKey(a, "broker", "attester_", "the simulated broker's fill attester"));
      SimulatedBroker.Clearing clearing =
          a.setting("clearing_delay")
              .map(Duration::parse)
              .<SimulatedBroker.Clearing>map(d -> (asset, executed) -> executed.plus(d))
              .orElse(calendar::clearsAt);
      // It fills at the price feed's mark of the moment (a walking or scripted feed moves it).
      return new SimulatedBroker(
          jdbi,
          asset -> prices.mark(asset).map(PriceFeed.Mark::priceUsd),
          delay,
          attester,
          clearing,
          clock);
    }
    return external("broker", a, PrimeBroker.class, clock);
  }

  /**
   * The price feed. The simulated one ticks every 5 s at {@code mark_prices_usd}, flat, or with
   * {@code volatility_bps} (each tick moves at most that many basis points) a random walk seeded by
   * {@code walk_seed} (default 1).
   */
  static PriceFeed priceFeed(Collaborators c, Clock clock) {
    Adapter a = c.priceFeed();
    if (a.name().equals(DaemonConfig.SIMULATED)) {
      SimulatedPriceFeed.Walk walk =
          new SimulatedPriceFeed.Walk(
              a.setting("walk_seed").map(Long::parseLong).orElse(1L),
              a.setting("volatility_bps").map(Integer::parseInt).orElse(0));
      return new SimulatedPriceFeed(c.markPricesUsd(), PRICE_TICK, clock, walk);
    }
    return external("price_feed", a, PriceFeed.class, clock);
  }

  static VenueCalendar venueCalendar(Collaborators c, Clock clock) {
    Adapter a = c.venueCalendar();
    if (a.name().equals(DaemonConfig.ALWAYS_OPEN)) {
      return VenueCalendar.alwaysOpen();
    }
    if (a.name().equals(DaemonConfig.EXCHANGE)) {
      return ExchangeCalendar.fromSettings(a.settings());
    }
    return external("venue_calendar", a, VenueCalendar.class, clock);
  }

  /**
   * The keeper's signer. {@code local_key} takes {@code private_key} (0x-hex) or {@code
   * private_key_env} (the environment variable holding it, so the key stays out of the file).
   */
  static TxSigner signer(Collaborators c, Clock clock) {
    Adapter a = c.signer();
    if (!a.name().equals(DaemonConfig.LOCAL_KEY)) {
      return external("signer", a, TxSigner.class, clock);
    }
    return LocalKeySigner.of(privateKey(a, "signer", "", "local_key"));
  }

  /**
   * The factory pauser's signer, if configured: {@code local_key} with {@code private_key} or
   * {@code private_key_env}, like the keeper's.
   */
  static Optional<TxSigner> pauser(Collaborators c, Clock clock) {
    return c.pauser()
        .map(
            a ->
                a.name().equals(DaemonConfig.LOCAL_KEY)
                    ? LocalKeySigner.of(privateKey(a, "pauser", "", "local_key"))
                    : external("pauser", a, TxSigner.class, clock));
  }

  /**
   * The settlement wallets: {@code derived} from {@code seed} or {@code seed_env} (none configured:
   * {@code configured()} is false), with a sandbox faucet key if given.
   */
  static DerivedSettlementWallets settlementWallets(
      DaemonConfig cfg,
      Jdbi jdbi,
      Map<Long, org.web3j.protocol.Web3jService> services,
      Clock clock) {
    Adapter a = cfg.collaborators().settlementWallets();
    if (!a.name().equals(DaemonConfig.DERIVED)) {
      throw new ConfigException(
          "settlement_wallets",
          List.of("settlement_wallets.adapter: only \"derived\" is built in; got " + a.name()));
    }
    Optional<String> seedHex =
        a.setting("seed_env").map(System::getenv).or(() -> a.setting("seed"));
    Optional<String> faucet =
        a.setting("faucet_private_key_env")
            .map(System::getenv)
            .or(() -> a.setting("faucet_private_key"));
    if (faucet.isPresent() && cfg.mode() != Mode.TEST) {
      throw new ConfigException(
          "settlement_wallets",
          List.of("settlement_wallets.faucet_private_key: a faucet exists in the sandbox only"));
    }
    Optional<byte[]> seed;
    try {
      seed = seedHex.map(org.web3j.utils.Numeric::hexStringToByteArray);
    } catch (RuntimeException e) {
      throw new ConfigException(
          "settlement_wallets", List.of("settlement_wallets.seed: not hex: " + e.getMessage()));
    }
    if (seed.isPresent() && seed.get().length < 32) {
      throw new ConfigException(
          "settlement_wallets",
          List.of("settlement_wallets.seed: 32 bytes or more (64 hex digits), got fewer"));
    }
    return new DerivedSettlementWallets(
        jdbi, cfg.mode(), seed, faucet, cfg.chains(), services, clock);
  }

  /**
   * The private key an adapter section names: {@code <prefix>private_key_env} (the environment
   * variable holding it, so the key stays out of the file) or {@code <prefix>private_key}.
   */
  private static String privateKey(Adapter a, String role, String prefix, String what) {
    Optional<String> env = a.setting(prefix + "private_key_env");
    return env.map(System::getenv)
        .or(() -> a.setting(prefix + "private_key"))
        .orElseThrow(
            () ->
                new ConfigException(
                    role,
                    List.of(
                        env.map(
                                n ->
                                    role
                                        + "."
                                        + prefix
                                        + "private_key_env: environment variable "
                                        + n
                                        + " is not set")
                            .orElse(
                                role
                                    + ": "
                                    + what
                                    + " needs "
                                    + prefix
                                    + "private_key or "
                                    + prefix
                                    + "private_key_env"))));
  }

  private static <T> T external(String role, Adapter a, Class<T> type, Clock clock) {
    AdapterFactory<?> f = factory(role, a, type);
    try {
      return type.cast(f.create(a.settings(), clock));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          role, List.of(role + ": adapter " + a.name() + ": " + e.getMessage()));
    }
  }

  /** The factory of adapter {@code a} for {@code type} on the classpath. */
  private static AdapterFactory<?> factory(String role, Adapter a, Class<?> type) {
    List<String> known = new ArrayList<>();
    for (AdapterFactory<?> f : ServiceLoader.load(AdapterFactory.class)) {
      if (f.type() != type) {
        continue;
      }
      if (f.name().equals(a.name())) {
        return f;
      }
      known.add(f.name());
    }
    throw new ConfigException(
        role,
        List.of(
            role
                + ".adapter: no adapter '"
                + a.name()
                + "' on the classpath (found for "
                + type.getSimpleName()
                + ": "
                + (known.isEmpty() ? "none" : String.join(", ", known))
                + ")"));
  }
}
