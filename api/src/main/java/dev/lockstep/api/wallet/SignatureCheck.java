package dev.lockstep.api.wallet;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.utils.Numeric;

/**
 * Whether a signature over a digest is a wallet's, the way OpenZeppelin's {@code
 * SignatureChecker.isValidSignatureNow} decides it: an ECDSA signature (65 bytes {@code r || s ||
 * v}, {@code v} 27/28 or 0/1, low {@code s} as EIP-2 requires) recovering to the wallet is an
 * EOA's; otherwise the wallet's contract is asked {@code isValidSignature(bytes32, bytes)}
 * (ERC-1271) at the latest block of the named chain, and only the magic value {@code 0x1626ba7e}
 * counts. Thread-safe.
 */
public final class SignatureCheck {
  /** How a signature was found to be the wallet's. */
  public enum Method {
    EOA,
    ERC1271;

    public String dbValue() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Method fromDb(String v) {
      return valueOf(v.toUpperCase(Locale.ROOT));
    }
  }

  /** ERC-1271's magic value, {@code bytes4(keccak256("isValidSignature(bytes32,bytes)"))}. */
  static final String ERC1271_MAGIC = "1626ba7e";

  /** secp256k1's group order halved: a larger {@code s} is the malleable twin (EIP-2). */
  private static final BigInteger HALF_N = Sign.CURVE_PARAMS.getN().shiftRight(1);

  private final Map<Long, Web3j> chains;

  /**
   * @param chains a node per chain id, for ERC-1271 calls
   */
  public SignatureCheck(Map<Long, Web3j> chains) {
    this.chains = Map.copyOf(chains);
  }

  /** The chain could not be asked (the caller may retry). */
  public static final class ChainUnavailable extends Exception {
    ChainUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * How {@code signature} over {@code digest} is {@code wallet}'s, or empty if it is not.
   *
   * @param wallet lowercase 0x address
   * @throws ChainUnavailable if the ERC-1271 call could not be made
   */
  public Optional<Method> check(long chainId, String wallet, byte[] digest, byte[] signature)
      throws ChainUnavailable {
    if (recover(digest, signature).filter(wallet::equalsIgnoreCase).isPresent()) {
      return Optional.of(Method.EOA);
    }
    return erc1271(chainId, wallet, digest, signature)
        ? Optional.of(Method.ERC1271)
        : Optional.empty();
  }

  /** The address an ECDSA signature over {@code digest} recovers to, if it is well formed. */
  public static Optional<String> recover(byte[] digest, byte[] sig) {
    if (sig.length != 65) {
      return Optional.empty();
    }
    byte v = sig[64];
    if (v == 0 || v == 1) {
      v += 27;
    }
    if (v != 27 && v != 28) {
      return Optional.empty();
    }
    byte[] r = Arrays.copyOfRange(sig, 0, 32);
    byte[] s = Arrays.copyOfRange(sig, 32, 64);
    BigInteger sValue = new BigInteger(1, s);
    if (sValue.signum() == 0
        || sValue.compareTo(HALF_N) > 0
        || new BigInteger(1, r).signum() == 0) {
      return Optional.empty();
    }
    try {
      BigInteger key = Sign.signedMessageHashToKey(digest, new Sign.SignatureData(v, r, s));
      return Optional.of("0x" + Keys.getAddress(key));
    } catch (java.security.SignatureException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private boolean erc1271(long chainId, String wallet, byte[] digest, byte[] signature)
      throws ChainUnavailable {
    Web3j web3j = chains.get(chainId);
    if (web3j == null) {
      return false;
    }
    String data =
        FunctionEncoder.encode(
            new Function(
                "isValidSignature",
                List.of(new Bytes32(digest), new DynamicBytes(signature)),
                List.of()));
    try {
      var answer =
          web3j
              .ethCall(
                  Transaction.createEthCallTransaction(null, wallet, data),
                  DefaultBlockParameterName.LATEST)
              .send();
      if (answer.hasError() || answer.getValue() == null) {
        return false; // reverted, or no such function: not this wallet's signature
      }
      String hex = Numeric.cleanHexPrefix(answer.getValue());
      return hex.length() >= 8 && hex.substring(0, 8).equalsIgnoreCase(ERC1271_MAGIC);
    } catch (IOException e) {
      throw new ChainUnavailable("isValidSignature on chain " + chainId + ": " + e.getMessage(), e);
    }
  }
}
