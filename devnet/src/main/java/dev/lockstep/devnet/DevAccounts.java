package dev.lockstep.devnet;

import java.util.List;
import java.util.stream.IntStream;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;

/**
 * The ten accounts anvil funds at start: derived from its default mnemonic along the BIP-44 path
 * {@code m/44'/60'/0'/0/i}. Public test keys: never use them outside a local devnet.
 *
 * <p>Roles in the sandbox, each its own key: index 0 deploys and administers, 1 is the keeper
 * (KEEPER_ROLE on the order book, nothing on the factory), 2 is the broker's (its fill attester,
 * ATTESTER_ROLE on the order book), 3 to 9 are test wallets, 10 is the factory's minter (seeds test
 * holders; the order book is the other minter, for settled mint orders) and 11 its pauser. Anvil is
 * started with {@link #COUNT} funded accounts.
 */
public final class DevAccounts {
  /** Anvil's default mnemonic. */
  public static final String MNEMONIC =
      "test test test test test test test test test test test junk";

  /** How many accounts anvil funds ({@code --accounts}). */
  public static final int COUNT = 12;

  private static final List<Credentials> ACCOUNTS =
      IntStream.range(0, COUNT).mapToObj(DevAccounts::derive).toList();

  private DevAccounts() {}

  /** Account {@code index} (0-11). */
  public static Credentials account(int index) {
    return ACCOUNTS.get(index);
  }

  /** The deployer and admin of every contract. */
  public static Credentials admin() {
    return account(0);
  }

  /** The keeper: KEEPER_ROLE on the order book only (no minter, pauser or admin role). */
  public static Credentials keeper() {
    return account(1);
  }

  /** The broker's fill attester: ATTESTER_ROLE on the order book; signs fills, never sends. */
  public static Credentials attester() {
    return account(2);
  }

  /** The attester's private key, 0x-hex (for the simulated broker's configuration). */
  public static String attesterKeyHex() {
    return org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(
        attester().getEcKeyPair().getPrivateKey(), 64);
  }

  /** The factory's minter (MINTER_ROLE): mints test holdings directly, outside the order book. */
  public static Credentials minter() {
    return account(10);
  }

  /** The factory's pauser (PAUSER_ROLE): pauses minting of a token on a reconciliation break. */
  public static Credentials pauser() {
    return account(11);
  }

  /** Test wallet {@code n} (0-6), accounts 3 to 9. */
  public static Credentials wallet(int n) {
    return account(3 + n);
  }

  private static Credentials derive(int index) {
    byte[] seed = MnemonicUtils.generateSeed(MNEMONIC, "");
    Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(seed);
    int hardened = Bip32ECKeyPair.HARDENED_BIT;
    int[] path = {44 | hardened, 60 | hardened, hardened, 0, index};
    return Credentials.create(Bip32ECKeyPair.deriveKeyPair(master, path));
  }
}
