package dev.lockstep.keeper.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.ports.Mode;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DerivedSettlementWalletsTest {
  private static DerivedSettlementWallets wallets(byte[] seed, Mode mode) {
    return new DerivedSettlementWallets(
        null, mode, Optional.of(seed), Optional.empty(), List.of(), Map.of(), Clock.systemUTC());
  }

  private static byte[] seed(int fill) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) fill);
    return s;
  }

  @Test
  void aTenantsWalletIsAFunctionOfSeedModeAndTenant() {
    String a = wallets(seed(1), Mode.TEST).walletOf("ten_a");
    assertThat(wallets(seed(1), Mode.TEST).walletOf("ten_a"))
        .as("another daemon with the same seed signs for the same wallet")
        .isEqualTo(a);
    assertThat(wallets(seed(1), Mode.TEST).walletOf("ten_b")).isNotEqualTo(a);
    assertThat(wallets(seed(1), Mode.LIVE).walletOf("ten_a"))
        .as("live and sandbox wallets differ")
        .isNotEqualTo(a);
    assertThat(wallets(seed(2), Mode.TEST).walletOf("ten_a")).isNotEqualTo(a);
    assertThat(a).matches("0x[0-9a-f]{40}");
  }

  @Test
  void aShortSeedOrALiveFaucetIsRefused() {
    assertThatThrownBy(() -> wallets(new byte[16], Mode.TEST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(
            () ->
                new DerivedSettlementWallets(
                    null,
                    Mode.LIVE,
                    Optional.of(seed(1)),
                    Optional.of("0x" + "11".repeat(32)),
                    List.of(),
                    Map.of(),
                    Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sandbox only");
    assertThat(
            new DerivedSettlementWallets(
                    null,
                    Mode.TEST,
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    Map.of(),
                    Clock.systemUTC())
                .configured())
        .isFalse();
  }
}
