package dev.lockstep.api.wallet;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.web3j.crypto.StructuredDataEncoder;
import tools.jackson.databind.json.JsonMapper;

/**
 * EIP-712 typed data as the API hands it out (the JSON {@code eth_signTypedData_v4} takes: types,
 * primaryType, domain, message) and its digest, hashed by web3j's {@link StructuredDataEncoder}, so
 * what a wallet is shown and what the API verifies are one map.
 */
public final class TypedData {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TypedData() {}

  /** One member of a struct type: {@code {"name": name, "type": type}}. */
  public static Map<String, String> field(String name, String type) {
    return Map.of("name", name, "type", type);
  }

  /** The typed data of {@code message}, of type {@code primaryType} among {@code types}. */
  public static Map<String, Object> of(
      Map<String, Object> types,
      String primaryType,
      Map<String, Object> domain,
      Map<String, Object> message) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("types", types);
    out.put("primaryType", primaryType);
    out.put("domain", domain);
    out.put("message", message);
    return out;
  }

  /** The 32-byte EIP-712 digest ({@code keccak256(0x1901 || domainSeparator || hashStruct)}). */
  public static byte[] digest(Map<String, Object> typedData) {
    try {
      return new StructuredDataEncoder(JSON.writeValueAsString(typedData)).hashStructuredData();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("EIP-712 encoding failed: " + e.getMessage(), e);
    }
  }
}
