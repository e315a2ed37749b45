package dev.lockstep.api;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for what the API keeps sealed at rest (idempotent answers, webhook signing secrets):
 * a fresh 12-byte nonce per seal from {@link Ids#randomBytes}, a 16-byte tag, and associated data
 * binding the sealed bytes to where they belong (moved to another row, they no longer open).
 * Layout: nonce, then ciphertext and tag. Thread-safe.
 */
public final class Aead {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  /** Key length in bytes (AES-256). */
  public static final int KEY_BYTES = 32;

  private Aead() {}

  /** {@code plain} sealed under {@code key} (32 bytes) with {@code aad}. */
  public static byte[] seal(byte[] key, byte[] aad, byte[] plain) {
    try {
      byte[] nonce = Ids.randomBytes(NONCE_BYTES);
      byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key, aad, nonce).doFinal(plain);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * Opens what {@link #seal} made.
   *
   * @return empty if the key or {@code aad} is not the one it was sealed with, or the bytes were
   *     altered
   */
  public static Optional<byte[]> open(byte[] key, byte[] aad, byte[] sealed) {
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      return Optional.empty();
    }
    try {
      byte[] nonce = Arrays.copyOf(sealed, NONCE_BYTES);
      return Optional.of(
          cipher(Cipher.DECRYPT_MODE, key, aad, nonce)
              .doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES));
    } catch (AEADBadTagException e) {
      return Optional.empty();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  private static Cipher cipher(int mode, byte[] key, byte[] aad, byte[] nonce)
      throws GeneralSecurityException {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("an AES-256 key is 32 bytes, not " + key.length);
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
    c.updateAAD(aad);
    return c;
  }
}
