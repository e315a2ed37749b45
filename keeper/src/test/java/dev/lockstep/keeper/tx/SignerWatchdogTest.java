package dev.lockstep.keeper.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignerWatchdogTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void aSignerWithIntentsInFlightAndAnUnmovingNonceIsStuckAfterTheThresholdAndRecovers() {
    SignerWatchdog w = new SignerWatchdog(1, "0xabc", Duration.ofSeconds(120));
    w.observe(7, 3, T0);
    w.observe(7, 3, T0.plusSeconds(120));
    assertThat(w.status().stuck()).as("not past the threshold yet").isFalse();
    w.observe(7, 3, T0.plusSeconds(121));
    assertThat(w.status().stuck()).isTrue();
    assertThat(w.status().stuckSince()).hasValue(T0);
    assertThat(w.status().inFlight()).isEqualTo(3);
    w.observe(8, 2, T0.plusSeconds(125));
    assertThat(w.status().stuck()).as("the nonce moved").isFalse();
    assertThat(w.status().chainNonce()).isEqualTo(8);
  }

  @Test
  void aSignerWithNothingInFlightIsNeverStuck() {
    SignerWatchdog w = new SignerWatchdog(1, "0xabc", Duration.ofSeconds(10));
    w.observe(7, 0, T0);
    w.observe(7, 0, T0.plusSeconds(3600));
    assertThat(w.status().stuck()).isFalse();
    w.observe(7, 1, T0.plusSeconds(3601));
    w.observe(7, 1, T0.plusSeconds(3612));
    assertThat(w.status().stuck()).as("stuck counts from when intents were in flight").isTrue();
  }
}
