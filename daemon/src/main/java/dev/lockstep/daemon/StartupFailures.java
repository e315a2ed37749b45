package dev.lockstep.daemon;

import java.net.ConnectException;
import java.sql.SQLException;

/**
 * One sentence for a failure at start-up, naming the part that failed and its root cause, instead
 * of a stack trace: an operator's first run most often meets an unreachable database or node.
 */
final class StartupFailures {
  private StartupFailures() {}

  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String cause = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    if (chainHas(e, SQLException.class) || e.getClass().getName().contains("Hikari")) {
      return "cannot use the database: " + cause;
    }
    if (chainHas(e, ConnectException.class)) {
      return "cannot connect: " + cause;
    }
    return e.getMessage() == null || e.getMessage().equals(cause)
        ? cause
        : e.getMessage() + " (" + cause + ")";
  }

  private static boolean chainHas(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
