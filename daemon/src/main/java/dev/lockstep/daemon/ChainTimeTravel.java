package dev.lockstep.daemon;

import dev.lockstep.ports.SandboxTime;
import dev.lockstep.ports.ShiftableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock;

/**
 * {@link SandboxTime} of a sandbox daemon: moves its {@link ShiftableClock} and each devnet chain's
 * time by the same amount (anvil's {@code evm_increaseTime}, then {@code evm_mine} so the next
 * block carries the new time). One move at a time.
 */
final class ChainTimeTravel implements SandboxTime {
  private final ShiftableClock clock;
  private final Map<Long, Web3jService> services;
  private final Map<Long, Web3j> chains = new java.util.HashMap<>();

  ChainTimeTravel(ShiftableClock clock, Map<Long, ? extends Web3jService> services) {
    this.clock = clock;
    this.services = Map.copyOf(services);
    this.services.forEach((id, s) -> chains.put(id, Web3j.build(s)));
  }

  @Override
  public Now now() {
    return new Now(clock.instant(), clock.offset(), heads());
  }

  @Override
  public synchronized Now advance(Duration by) {
    if (by.isNegative() || by.isZero() || by.compareTo(MAX_ADVANCE) > 0) {
      throw new IllegalArgumentException("advance must be more than 0 and at most 30 days");
    }
    for (Web3jService s : services.values()) {
      call(s, "evm_increaseTime", List.of(by.toSeconds()));
      call(s, "evm_mine", List.of());
    }
    clock.advance(by);
    return now();
  }

  private List<ChainTime> heads() {
    List<ChainTime> out = new ArrayList<>();
    chains.forEach(
        (id, w) -> {
          try {
            EthBlock.Block b =
                w.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
            out.add(
                new ChainTime(
                    id,
                    b.getNumber().longValueExact(),
                    Instant.ofEpochSecond(b.getTimestamp().longValueExact())));
          } catch (java.io.IOException e) {
            throw new IllegalStateException(
                "reading chain " + id + "'s head: " + e.getMessage(), e);
          }
        });
    out.sort(java.util.Comparator.comparingLong(ChainTime::chainId));
    return out;
  }

  private static void call(Web3jService s, String method, List<?> params) {
    try {
      Response<?> r = new Request<>(method, params, s, GenericResponse.class).send();
      if (r.hasError()) {
        throw new IllegalStateException(method + ": " + r.getError().getMessage());
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(method + ": " + e.getMessage(), e);
    }
  }

  /** Any JSON-RPC answer. */
  public static final class GenericResponse extends Response<Object> {}
}
