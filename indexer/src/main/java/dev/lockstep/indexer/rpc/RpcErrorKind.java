package dev.lockstep.indexer.rpc;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Locale;

/** Kinds of RPC failure, the {@code kind} tag of {@code indexer.rpc.errors}. */
public enum RpcErrorKind {
  /** No answer within the request timeout. */
  TIMEOUT,
  /** The node could not be reached (refused, reset, DNS). */
  CONNECTION,
  /** HTTP 429 or a JSON-RPC rate-limit error. */
  RATE_LIMITED,
  /** Any other non-2xx HTTP status. */
  HTTP,
  /** A JSON-RPC error object. */
  RPC,
  /**
   * {@code eth_getLogs} refused the range (too many results, range too large); the range shrinks.
   */
  RANGE,
  /** The node's answers disagree (log vs header hash, missing block, removed log). */
  INCONSISTENT,
  /** Anything else. */
  OTHER;

  /** The tag value, lowercase. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Classifies a failure of one RPC call or sync step. */
  public static RpcErrorKind of(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RangeTooLargeException) return RANGE;
      if (c instanceof RpcException r) return r.kind();
      if (c instanceof SocketTimeoutException || c instanceof InterruptedIOException)
        return TIMEOUT;
      if (c instanceof ConnectException) return CONNECTION;
    }
    return t instanceof java.io.IOException ? CONNECTION : OTHER;
  }
}
