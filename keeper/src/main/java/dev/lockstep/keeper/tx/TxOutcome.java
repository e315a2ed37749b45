package dev.lockstep.keeper.tx;

/** What became of one keeper transaction. */
public sealed interface TxOutcome {
  /** Mined with status 1. */
  record Confirmed(String txHash, long blockNumber) implements TxOutcome {}

  /** Would revert (simulation) or did revert (receipt); {@code error} is the decoded custom error or node message. */
  record Reverted(String txHash, String error) implements TxOutcome {}
}
