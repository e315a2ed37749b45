package dev.lockstep.indexer.rpc;

import java.io.IOException;

/** A JSON-RPC call answered with an error object (or an unusable result). Retryable. */
public class RpcException extends IOException {
  private final RpcErrorKind kind;

  public RpcException(RpcErrorKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** What kind of failure this is. */
  public RpcErrorKind kind() {
    return kind;
  }
}
