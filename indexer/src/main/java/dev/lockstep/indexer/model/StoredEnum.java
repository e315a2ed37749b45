package dev.lockstep.indexer.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * A closed vocabulary stored as text: each constant is stored (and shown on the API) as its name in
 * lowercase ({@code QUEUED} as {@code queued}), and read back with {@link #fromDb}. Implemented by
 * enums only; {@code name()} is {@link Enum#name()}.
 */
public interface StoredEnum {
  /** The constant's name, as {@link Enum#name()}. */
  String name();

  /** The stored text: the name in lowercase. */
  default String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The constant of {@code type} stored as {@code text}.
   *
   * @throws IllegalStateException if {@code text} is no constant of {@code type}: the database
   *     holds a value this build does not know
   */
  static <E extends Enum<E> & StoredEnum> E fromDb(Class<E> type, String text) {
    for (E e : type.getEnumConstants()) {
      if (e.dbValue().equals(text)) {
        return e;
      }
    }
    throw new IllegalStateException(
        "unknown "
            + type.getSimpleName()
            + " '"
            + text
            + "' (known: "
            + Arrays.stream(type.getEnumConstants()).map(StoredEnum::dbValue).toList()
            + ")");
  }
}
