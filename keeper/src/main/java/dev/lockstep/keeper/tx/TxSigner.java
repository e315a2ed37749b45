package dev.lockstep.keeper.tx;

import org.web3j.crypto.RawTransaction;

/**
 * Signs the keeper's transactions. A local key now ({@link LocalKeySigner}); the shape fits a KMS
 * or Vault signer, which holds the key elsewhere and signs a transaction's EIP-2718 signing payload
 * remotely. The engine checks every transaction against its {@link SignerPolicy} before calling
 * {@link #sign}. Implementations must be thread-safe.
 */
public interface TxSigner {
  /** The signer's address, lowercase 0x-hex. */
  String address();

  /**
   * Signs {@code tx} for {@code chainId}.
   *
   * @return the signed EIP-2718 typed transaction, the bytes {@code eth_sendRawTransaction} takes
   */
  byte[] sign(RawTransaction tx, long chainId);
}
