package dev.lockstep.keeper.tx;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.Type;
import org.web3j.utils.Numeric;

/**
 * Decodes revert data to a named Solidity custom error, for example {@code
 * OrderBookOrderNotActive(7, 3)}, from the {@code CustomError} definitions a generated wrapper
 * declares. Thread-safe.
 */
public final class RevertDecoder {
  private final Map<String, CustomError> bySelector = new HashMap<>();

  /** Learns every {@code public static final CustomError} of the given wrapper classes. */
  public RevertDecoder(Class<?>... wrappers) {
    for (Class<?> w : wrappers) {
      for (Field f : w.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == CustomError.class) {
          try {
            CustomError e = (CustomError) f.get(null);
            bySelector.put(CustomErrorEncoder.encode(e).substring(0, 10), e);
          } catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
          }
        }
      }
    }
  }

  /**
   * The custom error in {@code revertData} (0x-hex: 4-byte selector then ABI-encoded arguments), as
   * {@code Name(arg, ...)}; empty if the selector is unknown or the data is empty.
   */
  public Optional<String> decode(String revertData) {
    return decodeError(revertData).map(DecodedError::toString);
  }

  /**
   * A decoded custom error.
   *
   * @param name the error's Solidity name
   * @param args its arguments' values (web3j's: BigInteger for integers and enums, String for
   *     addresses)
   */
  public record DecodedError(String name, List<Object> args) {
    @Override
    public String toString() {
      return name
          + "("
          + args.stream().map(String::valueOf).collect(Collectors.joining(", "))
          + ")";
    }
  }

  /** The custom error in {@code revertData}, structured; empty if unknown or empty. */
  public Optional<DecodedError> decodeError(String revertData) {
    if (revertData == null || revertData.length() < 10) {
      return Optional.empty();
    }
    CustomError e = bySelector.get(revertData.substring(0, 10).toLowerCase());
    if (e == null) {
      return Optional.empty();
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Type> args =
        FunctionReturnDecoder.decode(
            Numeric.prependHexPrefix(revertData.substring(10)), (List) e.getParameters());
    return Optional.of(
        new DecodedError(e.getName(), args.stream().map(a -> (Object) a.getValue()).toList()));
  }
}
