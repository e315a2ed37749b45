package dev.lockstep.holder;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signs, with a holder's own key, what the Lockstep API asks a holder to sign, so that an
 * integrator's client needs no knowledge of the contracts:
 *
 * <ul>
 *   <li>{@link #signChallenge}: the EIP-712 {@code WalletLink} of {@code POST
 *       /v1/wallet_challenges}, for {@code POST /v1/wallet_links {challenge_id, signature}};
 *   <li>{@link #signOrder}: a quote's {@code signing} ({@code POST /v1/quotes} with {@code
 *       wallet}): the EIP-712 {@code OrderIntent} and the EIP-2612 {@code Permit}, for {@code POST
 *       /v1/redeems} or {@code POST /v1/mints {quote_id, signature, permit_signature}}.
 * </ul>
 *
 * <p>Before signing it checks what it is given: the typed data names the key's own address (as the
 * wallet, and as the order's destination), and the digest it computes with web3j's {@link
 * StructuredDataEncoder} equals the one the API sent, so a message altered on the way is refused
 * rather than signed. Signatures are 65 bytes {@code r || s || v} (v 27/28, low s), 0x-hex.
 */
public final class HolderSigning {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private HolderSigning() {}

  /** The two signatures a signed order carries. */
  public record OrderSignatures(String signature, String permitSignature) {}

  /** What was given does not match the key or its digest: nothing was signed. */
  public static final class MismatchException extends IllegalArgumentException {
    MismatchException(String message) {
      super(message);
    }
  }

  /**
   * Signs the challenge answer of {@code POST /v1/wallet_challenges}.
   *
   * @param challengeJson the API's answer (with {@code wallet}, {@code typed_data}, {@code digest})
   * @throws MismatchException if the challenge is for another wallet or its digest differs
   */
  public static String signChallenge(String challengeJson, ECKeyPair key) {
    JsonNode c = JSON.readTree(challengeJson);
    String self = address(key);
    requireSame("challenge wallet", c.path("wallet").asString(""), self);
    requireSame("typed_data message wallet", c.at("/typed_data/message/wallet").asString(""), self);
    return sign(c.get("typed_data"), c.path("digest").asString(""), key);
  }

  /**
   * Signs a quote's order intent and permit.
   *
   * @param quoteJson the API's quote (with {@code signing})
   * @throws MismatchException if the quote is for another wallet, pays elsewhere, or a digest
   *     differs
   */
  public static OrderSignatures signOrder(String quoteJson, ECKeyPair key) {
    JsonNode s = JSON.readTree(quoteJson).path("signing");
    if (s.isMissingNode()) {
      throw new MismatchException("the quote carries no 'signing': ask for it with 'wallet'");
    }
    String self = address(key);
    requireSame("signing wallet", s.path("wallet").asString(""), self);
    requireSame("intent owner", s.at("/intent_typed_data/message/owner").asString(""), self);
    requireSame(
        "intent destination", s.at("/intent_typed_data/message/destination").asString(""), self);
    requireSame("permit owner", s.at("/permit_typed_data/message/owner").asString(""), self);
    return new OrderSignatures(
        sign(s.get("intent_typed_data"), s.path("intent_digest").asString(""), key),
        sign(s.get("permit_typed_data"), s.path("permit_digest").asString(""), key));
  }

  /**
   * Signs any EIP-712 typed data (the JSON {@code eth_signTypedData_v4} takes) with {@code key}.
   *
   * @return {@code r || s || v}, 0x-hex
   */
  public static String signTypedData(String typedDataJson, ECKeyPair key) {
    return Numeric.toHexString(signDigest(digest(typedDataJson), key));
  }

  private static String sign(JsonNode typedData, String expectedDigest, ECKeyPair key) {
    byte[] digest = digest(JSON.writeValueAsString(typedData));
    if (!Numeric.toHexString(digest).equalsIgnoreCase(expectedDigest)) {
      throw new MismatchException(
          "the typed data hashes to "
              + Numeric.toHexString(digest)
              + ", not to the digest given ("
              + expectedDigest
              + "): not signed");
    }
    return Numeric.toHexString(signDigest(digest, key));
  }

  /**
   * The EIP-712 digest of typed data (web3j's {@link StructuredDataEncoder}): {@code keccak256(0x19
   * 0x01 || domainSeparator || hashStruct(message))}, 32 bytes.
   *
   * @throws IllegalArgumentException if {@code typedDataJson} is not EIP-712 typed data
   */
  public static byte[] digest(String typedDataJson) {
    try {
      return new StructuredDataEncoder(typedDataJson).hashStructuredData();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not EIP-712 typed data: " + e.getMessage(), e);
    }
  }

  /**
   * Signs a 32-byte digest (already hashed: an EIP-712 digest) as contracts and {@code ecrecover}
   * take it: 65 bytes {@code r || s || v}, v 27 or 28, low s (web3j canonicalises it).
   */
  public static byte[] signDigest(byte[] digest, ECKeyPair key) {
    Sign.SignatureData s = Sign.signMessage(digest, key, false);
    byte[] sig = Arrays.copyOf(s.getR(), 65);
    System.arraycopy(s.getS(), 0, sig, 32, 32);
    sig[64] = s.getV()[0];
    return sig;
  }

  private static String address(ECKeyPair key) {
    return "0x" + Keys.getAddress(key).toLowerCase(Locale.ROOT);
  }

  private static void requireSame(String what, String given, String self) {
    if (!given.equalsIgnoreCase(self)) {
      throw new MismatchException(what + " is " + given + ", not this key's " + self);
    }
  }
}
