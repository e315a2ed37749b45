package dev.lockstep.keeper.tx;

import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;

/**
 * A {@link TxSigner} holding a secp256k1 private key in memory (the sandbox, tests, small
 * deployments).
 */
public final class LocalKeySigner implements TxSigner {
  private final Credentials credentials;

  public LocalKeySigner(Credentials credentials) {
    this.credentials = credentials;
  }

  /** From a hex private key (with or without 0x). */
  public static LocalKeySigner of(String privateKeyHex) {
    return new LocalKeySigner(Credentials.create(privateKeyHex));
  }

  @Override
  public String address() {
    return credentials.getAddress().toLowerCase();
  }

  @Override
  public byte[] sign(RawTransaction tx, long chainId) {
    return TransactionEncoder.signMessage(
        tx, credentials); // EIP-1559: the chain id is inside the transaction
  }
}
