package dev.lockstep.api.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The read cache's rules, with notifications delivered by hand (ReadCacheIT runs them for real).
 */
class TenantReadsTest {
  private final Notifications notifications = Notifications.listeningWithoutConnection();
  private final TenantReads reads = TenantReads.withoutSender(notifications);
  private final AtomicInteger loads = new AtomicInteger();

  private String read(String tenant, String query) {
    return reads.read(
        tenant, query, () -> tenant + "/" + query + "#" + loads.incrementAndGet(), v -> 1);
  }

  @Test
  void aReadIsKeptUntilItsTenantChanges() {
    assertThat(read("t1", "q")).isEqualTo("t1/q#1");
    assertThat(read("t1", "q")).as("kept").isEqualTo("t1/q#1");
    reads.changed("t1");
    assertThat(read("t1", "q")).as("the writer's next read").isEqualTo("t1/q#2");
    assertThat(read("t1", "q")).isEqualTo("t1/q#2");
  }

  @Test
  void tenantsAreApart() {
    assertThat(read("t1", "q")).isEqualTo("t1/q#1");
    assertThat(read("t2", "q"))
        .as("the same query of another tenant is its own")
        .isEqualTo("t2/q#2");
    reads.changed("t2");
    assertThat(read("t1", "q")).as("another tenant's change keeps this one's").isEqualTo("t1/q#1");
    assertThat(read("t2", "q")).isEqualTo("t2/q#3");
  }

  @Test
  void anotherDaemonsNotificationDropsTheTenantsReads() {
    read("t1", "a");
    read("t1", "b");
    notifications.deliver(TenantReads.CHANNEL, "t1");
    assertThat(read("t1", "a")).isEqualTo("t1/a#3");
    assertThat(read("t1", "b")).isEqualTo("t1/b#4");
    notifications.deliver("some_other_channel", "t1");
    assertThat(read("t1", "a")).as("other channels are not this cache's").isEqualTo("t1/a#3");
  }

  @Test
  void aLoadRacingWithAChangeIsNeverServed() {
    String first =
        reads.read(
            "t1",
            "q",
            () -> {
              // The row is read, then a write commits and is announced before the load returns.
              String v = "old#" + loads.incrementAndGet();
              notifications.deliver(TenantReads.CHANNEL, "t1");
              return v;
            },
            v -> 1);
    assertThat(first).isEqualTo("old#1");
    assertThat(read("t1", "q")).as("the racing load is not served again").isEqualTo("t1/q#2");
  }

  @Test
  void withoutListeningNothingIsKept() {
    TenantReads none = TenantReads.none();
    AtomicInteger n = new AtomicInteger();
    none.read("t1", "q", n::incrementAndGet, v -> 1);
    none.read("t1", "q", n::incrementAndGet, v -> 1);
    assertThat(n).hasValue(2);
  }
}
