package dev.lockstep.daemon.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * PostgreSQL connection URLs in either form operators write: the JDBC form {@code
 * jdbc:postgresql://host:5432/db?user=u&password=p}, or the libpq URI {@code
 * postgresql://u:p@host:5432/db} ({@code postgres://} too, PostgreSQL manual 34.1.1.2), which is
 * turned into the JDBC form.
 */
public final class DatabaseUrls {
  private DatabaseUrls() {}

  /** The JDBC form of {@code url}, or empty if it is neither form. */
  public static Optional<String> toJdbc(String url) {
    if (url.startsWith("jdbc:postgresql://")) {
      return Optional.of(url);
    }
    if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    if (uri.getHost() == null) {
      return Optional.empty();
    }
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
    if (uri.getPort() > 0) {
      jdbc.append(':').append(uri.getPort());
    }
    jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
    if (uri.getRawUserInfo() != null) {
      String[] userPass = uri.getRawUserInfo().split(":", 2);
      param(query, "user", decode(userPass[0]));
      if (userPass.length == 2) {
        param(query, "password", decode(userPass[1]));
      }
    }
    if (!query.isEmpty()) {
      jdbc.append('?').append(query);
    }
    return Optional.of(jdbc.toString());
  }

  private static void param(StringBuilder query, String name, String value) {
    if (!query.isEmpty()) {
      query.append('&');
    }
    query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
