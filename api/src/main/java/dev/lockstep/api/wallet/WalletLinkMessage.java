package dev.lockstep.api.wallet;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The EIP-712 message a wallet signs to prove to a tenant that it controls the wallet: {@code
 * WalletLink(string statement,string tenant,address wallet,bytes32 nonce,uint64 issuedAt,uint64
 * expiresAt)} in the domain {@code {name: "Lockstep", version: "1", chainId}} (no verifying
 * contract: no contract checks it). What the API hands out ({@link #typedData}, the JSON that
 * {@code eth_signTypedData_v4} takes) and what it verifies ({@link #digest}) are the same map,
 * hashed by web3j's StructuredDataEncoder ({@link TypedData}).
 *
 * @param tenant the tenant id the wallet is linked to
 * @param wallet lowercase 0x address
 * @param nonce 0x-hex, 32 bytes, single use
 * @param issuedAt unix seconds (whole)
 * @param expiresAt unix seconds (whole); the proof is refused after it
 */
public record WalletLinkMessage(
    long chainId, String tenant, String wallet, String nonce, Instant issuedAt, Instant expiresAt) {
  /** The human-readable line a wallet shows its holder. */
  public static final String STATEMENT =
      "Link this wallet to the tenant on Lockstep, so that it can see and act on this wallet's"
          + " orders and positions. Signing sends no transaction and costs nothing.";

  /** The EIP-712 typed data (types, primaryType, domain, message), JSON-ready. */
  public Map<String, Object> typedData() {
    Map<String, Object> types = new LinkedHashMap<>();
    types.put(
        "EIP712Domain",
        List.of(
            TypedData.field("name", "string"),
            TypedData.field("version", "string"),
            TypedData.field("chainId", "uint256")));
    types.put(
        "WalletLink",
        List.of(
            TypedData.field("statement", "string"),
            TypedData.field("tenant", "string"),
            TypedData.field("wallet", "address"),
            TypedData.field("nonce", "bytes32"),
            TypedData.field("issuedAt", "uint64"),
            TypedData.field("expiresAt", "uint64")));
    Map<String, Object> domain = new LinkedHashMap<>();
    domain.put("name", "Lockstep");
    domain.put("version", "1");
    domain.put("chainId", chainId);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("statement", STATEMENT);
    message.put("tenant", tenant);
    message.put("wallet", wallet);
    message.put("nonce", nonce);
    message.put("issuedAt", issuedAt.getEpochSecond());
    message.put("expiresAt", expiresAt.getEpochSecond());
    return TypedData.of(types, "WalletLink", domain, message);
  }

  /** The 32-byte EIP-712 digest ({@code keccak256(0x1901 || domainSeparator || hashStruct)}). */
  public byte[] digest() {
    return TypedData.digest(typedData());
  }
}
