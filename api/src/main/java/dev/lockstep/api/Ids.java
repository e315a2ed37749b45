package dev.lockstep.api;

import java.security.SecureRandom;

/**
 * Public object ids: a type prefix ({@code cus_}, {@code att_}, {@code whk_}, {@code wh_}, {@code
 * key_}) and random base-62 characters from a {@link SecureRandom}, so an id reveals neither counts
 * nor creation order and cannot be guessed. Thread-safe.
 */
public final class Ids {
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /**
   * The API's one source of secret randomness: NIST SP 800-90A Hash_DRBG (SHA-256), seeded and
   * reseeded by the JDK from the operating system. It takes no system call and no file lock per
   * draw, unlike the default {@code NativePRNG}, which every request thread would queue on.
   */
  private static final SecureRandom RANDOM;

  static {
    try {
      RANDOM = SecureRandom.getInstance("DRBG");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("DRBG unavailable", e);
    }
  }

  private Ids() {}

  /** {@code n} bytes from the API's secure random source (nonces, challenge secrets). */
  public static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /**
   * {@code prefix} followed by {@code length} random base-62 characters (5.95 bits each, uniform:
   * six random bits per character, drawn again when they exceed 61).
   */
  public static String random(String prefix, int length) {
    StringBuilder b = new StringBuilder(prefix.length() + length).append(prefix);
    byte[] pool = randomBytes(length + 8);
    int next = 0;
    while (b.length() < prefix.length() + length) {
      if (next == pool.length) {
        pool = randomBytes(8);
        next = 0;
      }
      int six = pool[next++] & 0x3f;
      if (six < ALPHABET.length()) {
        b.append(ALPHABET.charAt(six));
      }
    }
    return b.toString();
  }

  /**
   * The first {@code bytes} bytes of SHA-256 of {@code text} (UTF-8), lowercase hex: an id derived
   * from its source, the same whenever the source is.
   */
  public static String digestHex(String text, int bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
              0,
              bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new object id: {@code prefix} and 16 random characters (about 95 bits). */
  public static String next(String prefix) {
    return random(prefix, 16);
  }
}
