package dev.lockstep.keeper.wallet;

import dev.lockstep.contracts.generated.TestStablecoin;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.model.TokenKind;
import dev.lockstep.ports.Mode;
import dev.lockstep.ports.SettlementWallets;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Settlement wallets whose keys are derived from one configured seed: the key of (tenant, mode) is
 * {@code HMAC-SHA256(seed, "lockstep settlement wallet v1|" + mode + "|" + tenant)} reduced into
 * secp256k1's range, so no key is ever stored (only the address, in {@code
 * keeper.settlement_wallets}) and a daemon with the same seed signs for the same wallets. A
 * KMS-held wallet implements the same {@link dev.lockstep.keeper.tx.TxSigner} interface.
 *
 * <p>In the sandbox ({@link Mode#TEST}) a faucet key (the devnet's stablecoin admin) funds a new
 * wallet with {@link #SANDBOX_GRANT_UNITS} of every configured stablecoin on every chain and gives
 * it gas ({@code anvil_setBalance}), and serves {@code POST /v1/sandbox/faucet}. Thread-safe.
 */
public final class DerivedSettlementWallets implements SettlementWallets {
  /** Gas a sandbox wallet is given on each chain: 100 ETH, in wei. */
  private static final BigInteger SANDBOX_GAS_WEI = BigInteger.TEN.pow(20);

  private static final BigInteger CURVE_ORDER = Sign.CURVE_PARAMS.getN();

  private final Jdbi jdbi;
  private final Mode mode;
  private final Optional<byte[]> seed;
  private final Optional<Credentials> faucetKey;
  private final Map<Long, ChainConfig> chains;
  private final Map<Long, org.web3j.protocol.Web3jService> services;
  private final Map<Long, Web3j> clients;
  private final Clock clock;

  /**
   * @param seed the derivation seed (at least 32 bytes); empty: no settlement wallets
   * @param faucetKey sandbox only: the key allowed to mint the chains' test stablecoins
   * @param services a JSON-RPC transport per chain id, for the faucet
   */
  public DerivedSettlementWallets(
      Jdbi jdbi,
      Mode mode,
      Optional<byte[]> seed,
      Optional<String> faucetKey,
      List<ChainConfig> chains,
      Map<Long, org.web3j.protocol.Web3jService> services,
      Clock clock) {
    seed.ifPresent(
        s -> {
          if (s.length < 32) {
            throw new IllegalArgumentException("the settlement wallet seed needs 32 bytes or more");
          }
        });
    if (faucetKey.isPresent() && mode != Mode.TEST) {
      throw new IllegalArgumentException("a faucet exists in the sandbox only");
    }
    this.jdbi = jdbi;
    this.mode = mode;
    this.seed = seed.map(byte[]::clone);
    this.faucetKey = faucetKey.map(Credentials::create);
    this.chains =
        chains.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(ChainConfig::chainId, c -> c));
    this.services = Map.copyOf(services);
    this.clients =
        services.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toUnmodifiableMap(
                    Map.Entry::getKey, e -> Web3j.build(e.getValue())));
    this.clock = clock;
  }

  @Override
  public boolean configured() {
    return seed.isPresent();
  }

  /** The signer of the tenant's settlement wallet (its key derived, held in memory only). */
  public dev.lockstep.keeper.tx.TxSigner signerOf(String tenantId) {
    return new dev.lockstep.keeper.tx.LocalKeySigner(credentials(tenantId));
  }

  /** This daemon's mode as {@code keeper.settlement_wallets} stores it. */
  String modeValue() {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String walletOf(String tenantId) {
    return credentials(tenantId).getAddress().toLowerCase(Locale.ROOT);
  }

  @Override
  public synchronized String ensureFunded(String tenantId) {
    String address = walletOf(tenantId);
    boolean created =
        jdbi.withHandle(
            h ->
                h.createUpdate(
                            """
                INSERT INTO keeper.settlement_wallets (tenant_id, mode, address, created_at)
                VALUES (:t, :m, :a, :now) ON CONFLICT DO NOTHING""")
                        .bind("t", tenantId)
                        .bind("m", modeValue())
                        .bind("a", address)
                        .bind("now", Timestamp.from(clock.instant()))
                        .execute()
                    == 1);
    if (created && faucetKey.isPresent()) {
      grant(tenantId, address);
    }
    return address;
  }

  @Override
  public Optional<List<String>> faucetCurrencies(long chainId) {
    return Optional.ofNullable(chains.get(chainId))
        .map(c -> stablecoins(c).stream().map(ChainConfig.Erc20::symbol).toList());
  }

  @Override
  public String faucet(String tenantId, String currency, long chainId, BigInteger baseUnits) {
    ChainConfig.Erc20 token = faucetToken(currency, chainId);
    return drip(chains.get(chainId), token, ensureFunded(tenantId), baseUnits);
  }

  @Override
  public String faucetPayoutPool(String currency, long chainId, BigInteger baseUnits) {
    ChainConfig.Erc20 token = faucetToken(currency, chainId);
    ChainConfig chain = chains.get(chainId);
    String book =
        chain
            .orderBook()
            .orElseThrow(
                () -> new IllegalArgumentException("chain " + chainId + " has no order book"));
    return drip(chain, token, book, baseUnits);
  }

  /** The stablecoin the sandbox faucet mints. */
  private ChainConfig.Erc20 faucetToken(String currency, long chainId) {
    if (faucetKey.isEmpty()) {
      throw new UnsupportedOperationException("the faucet exists in the sandbox only");
    }
    return Optional.ofNullable(chains.get(chainId)).stream()
        .flatMap(c -> stablecoins(c).stream())
        .filter(t -> t.symbol().equals(currency))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("chain " + chainId + " carries no " + currency));
  }

  private static List<ChainConfig.Erc20> stablecoins(ChainConfig chain) {
    return chain.tokens().stream().filter(t -> t.kind() == TokenKind.STABLECOIN).toList();
  }

  /** The sandbox's opening grant: every stablecoin on every chain, and gas. */
  private void grant(String tenantId, String wallet) {
    for (ChainConfig chain : chains.values()) {
      for (ChainConfig.Erc20 t : stablecoins(chain)) {
        drip(chain, t, wallet, SANDBOX_GRANT_UNITS.multiply(BigInteger.TEN.pow(t.decimals())));
      }
    }
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE keeper.settlement_wallets SET funded_at = :now WHERE tenant_id = :t AND mode = :m")
                .bind("now", Timestamp.from(clock.instant()))
                .bind("t", tenantId)
                .bind("m", modeValue())
                .execute());
  }

  /**
   * Mints {@code baseUnits} of {@code token} to {@code wallet} and tops up its gas; the tx hash.
   */
  private synchronized String drip(
      ChainConfig chain, ChainConfig.Erc20 token, String wallet, BigInteger baseUnits) {
    Web3j web3j = clients.get(chain.chainId());
    try {
      new Request<>(
              "anvil_setBalance",
              List.of(wallet, "0x" + SANDBOX_GAS_WEI.toString(16)),
              services.get(chain.chainId()),
              Response.class)
          .send();
      var tm =
          new RawTransactionManager(
              web3j,
              faucetKey.orElseThrow(),
              chain.chainId(),
              new PollingTransactionReceiptProcessor(web3j, 100, 300));
      var gas =
          new StaticEIP1559GasProvider(
              chain.chainId(),
              BigInteger.valueOf(50_000_000_000L),
              BigInteger.TEN.pow(9),
              BigInteger.valueOf(200_000));
      var receipt =
          TestStablecoin.load(token.address(), web3j, tm, gas).mint(wallet, baseUnits).send();
      if (!receipt.isStatusOK()) {
        throw new IllegalStateException("faucet mint reverted: " + receipt.getTransactionHash());
      }
      return receipt.getTransactionHash();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(
          "faucet on chain " + chain.chainId() + ": " + e.getMessage(), e);
    }
  }

  private Credentials credentials(String tenantId) {
    byte[] s =
        seed.orElseThrow(() -> new IllegalStateException("no settlement wallet seed configured"));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(s, "HmacSHA256"));
      byte[] digest =
          mac.doFinal(
              ("lockstep settlement wallet v1|" + mode.name() + "|" + tenantId)
                  .getBytes(StandardCharsets.UTF_8));
      // Into [1, n-1]: the bias of a 256-bit value reduced mod n (n ~ 2^256) is negligible.
      BigInteger key =
          new BigInteger(1, digest).mod(CURVE_ORDER.subtract(BigInteger.ONE)).add(BigInteger.ONE);
      return Credentials.create(ECKeyPair.create(key));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
