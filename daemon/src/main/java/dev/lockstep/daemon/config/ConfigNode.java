package dev.lockstep.daemon.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One JSON object of a configuration file, read key by key: a value of the wrong type, out of range
 * or missing when required becomes one line in the shared problem list (naming the key by its path,
 * such as {@code chains[0].tokens[1].symbol}, and giving an example), and reading goes on so that
 * every problem of the file is reported at once. Not thread-safe.
 */
final class ConfigNode {
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  private final String path;
  private final JsonNode node;
  private final List<String> problems;

  ConfigNode(String path, JsonNode node, List<String> problems) {
    this.path = path;
    this.node = node;
    this.problems = problems;
  }

  /** The key's full path, for messages. */
  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  void problem(String key, String what, String example) {
    problems.add(key + ": " + what + (example.isEmpty() ? "" : "; e.g. " + example));
  }

  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  /** Every key not in {@code known} is reported (a typo would otherwise be silently ignored). */
  void onlyKeys(Collection<String> known) {
    for (String name : node.propertyNames()) {
      if (!known.contains(name)) {
        problem(key(name), "unknown key (known: " + String.join(", ", known) + ")", "");
      }
    }
  }

  Optional<String> string(String name, String example) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isString() || v.stringValue().isBlank()) {
      problem(key(name), "must be a non-empty string", example);
      return Optional.empty();
    }
    return Optional.of(v.stringValue());
  }

  Optional<String> requiredString(String name, String example) {
    if (!has(name)) {
      problem(key(name), "missing", example);
      return Optional.empty();
    }
    return string(name, example);
  }

  /** A whole number in {@code [min, max]}. */
  OptionalLong integer(String name, long min, long max, String example) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return OptionalLong.empty();
    }
    if (!v.isIntegralNumber()
        || !v.canConvertToLong()
        || v.longValue() < min
        || v.longValue() > max) {
      problem(key(name), "must be a whole number from " + min + " to " + max, example);
      return OptionalLong.empty();
    }
    return OptionalLong.of(v.longValue());
  }

  OptionalLong requiredInteger(String name, long min, long max, String example) {
    if (!has(name)) {
      problem(key(name), "missing", example);
      return OptionalLong.empty();
    }
    return integer(name, min, max, example);
  }

  /** A positive exact decimal, given as a JSON number or a decimal string. */
  Optional<BigDecimal> positiveDecimal(String key, JsonNode v, String example) {
    BigDecimal d = null;
    if (v.isNumber()) {
      d = v.decimalValue();
    } else if (v.isString()) {
      try {
        d = new BigDecimal(v.stringValue());
      } catch (NumberFormatException e) {
        d = null;
      }
    }
    if (d == null || d.signum() <= 0) {
      problem(key, "must be a positive decimal", example);
      return Optional.empty();
    }
    return Optional.of(d);
  }

  /** An ISO-8601 duration such as {@code "PT0.5S"}, positive. */
  Optional<Duration> duration(String name, String example) {
    return string(name, example)
        .flatMap(
            text -> {
              try {
                Duration d = Duration.parse(text);
                if (d.isNegative() || d.isZero()) {
                  problem(key(name), "must be a positive ISO-8601 duration", example);
                  return Optional.empty();
                }
                return Optional.of(d);
              } catch (DateTimeParseException e) {
                problem(key(name), "'" + text + "' is not an ISO-8601 duration", example);
                return Optional.empty();
              }
            });
  }

  /** A 20-byte hex address, returned lowercase. */
  Optional<String> address(String name, boolean required) {
    String example = "\"" + name + "\": \"0x5fbdb2315678afecb367f032d93f642f64180aa3\"";
    Optional<String> text = required ? requiredString(name, example) : string(name, example);
    return text.flatMap(
        a -> {
          if (!ADDRESS.matcher(a).matches()) {
            problem(key(name), "'" + a + "' is not a 0x-prefixed 20-byte hex address", example);
            return Optional.empty();
          }
          return Optional.of(a.toLowerCase(Locale.ROOT));
        });
  }

  /** A URL with one of {@code schemes}. */
  Optional<String> url(String key, JsonNode v, List<String> schemes, String example) {
    if (!v.isString()) {
      problem(key, "must be a URL string", example);
      return Optional.empty();
    }
    String u = v.stringValue();
    for (String s : schemes) {
      if (u.startsWith(s + "://") && u.length() > s.length() + 3) {
        return Optional.of(u);
      }
    }
    problem(key, "'" + u + "' must start with " + String.join(":// or ", schemes) + "://", example);
    return Optional.empty();
  }

  /** The sub-object {@code name}, if present and an object. */
  Optional<ConfigNode> object(String name, String example) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isObject()) {
      problem(key(name), "must be a JSON object", example);
      return Optional.empty();
    }
    return Optional.of(new ConfigNode(key(name), v, problems));
  }

  /** The elements of array {@code name} (empty if absent or not an array, the latter reported). */
  List<JsonNode> array(String name, String example) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      problem(key(name), "must be a JSON array", example);
      return List.of();
    }
    return new ArrayList<>(v.values());
  }

  /** Element {@code i} of array {@code name} as an object. */
  Optional<ConfigNode> element(String name, int i, JsonNode v, String example) {
    String key = key(name) + "[" + i + "]";
    if (!v.isObject()) {
      problem(key, "must be a JSON object", example);
      return Optional.empty();
    }
    return Optional.of(new ConfigNode(key, v, problems));
  }

  JsonNode raw() {
    return node;
  }
}
