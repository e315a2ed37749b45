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
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** {@code prefix} followed by {@code length} random base-62 characters (5.95 bits each). */
  public static String random(String prefix, int length) {
    StringBuilder b = new StringBuilder(prefix.length() + length).append(prefix);
    for (int i = 0; i < length; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
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
