package dev.lockstep.indexer.rpc;

/**
 * The provider refused an {@code eth_getLogs} range as too large or as returning too many results.
 * Not retried as is: the caller splits the range.
 */
public final class RangeTooLargeException extends RpcException {
  public RangeTooLargeException(String message) {
    super(RpcErrorKind.RANGE, message);
  }
}
