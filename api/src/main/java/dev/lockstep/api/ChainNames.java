package dev.lockstep.api;

import java.util.Map;

/**
 * Catalog names of the chains this daemon serves, by chain id ({@code base}, {@code arbitrum},
 * ...).
 */
public record ChainNames(Map<Long, String> byId) {
  public ChainNames {
    byId = Map.copyOf(byId);
  }

  /**
   * The chain id of catalog name {@code name} ({@code settlement.chain}, {@code chain}), if served.
   */
  public java.util.Optional<Long> idOf(String name) {
    return byId.entrySet().stream()
        .filter(e -> e.getValue().equals(name))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /** The name of {@code chainId}, or {@code chain-<id>} if unknown. */
  public String name(long chainId) {
    return byId.getOrDefault(chainId, "chain-" + chainId);
  }
}
