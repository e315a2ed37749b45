package dev.lockstep.contracts;

import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * Signs a 32-byte digest (an EIP-712 digest, already hashed) as Ethereum signatures are passed to
 * contracts and to {@code ecrecover}: 65 bytes {@code r || s || v}, {@code v} 27 or 28, low {@code
 * s} (web3j's signer canonicalises it).
 */
public final class DigestSigner {
  private DigestSigner() {}

  /** {@code r || s || v} over {@code digest} (not hashed again). */
  public static byte[] sign(byte[] digest, ECKeyPair key) {
    Sign.SignatureData s = Sign.signMessage(digest, key, false);
    byte[] sig = new byte[65];
    System.arraycopy(s.getR(), 0, sig, 0, 32);
    System.arraycopy(s.getS(), 0, sig, 32, 32);
    sig[64] = s.getV()[0];
    return sig;
  }
}
