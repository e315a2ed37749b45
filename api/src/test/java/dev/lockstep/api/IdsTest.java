package dev.lockstep.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void idsAreThePrefixAndSixteenBase62CharactersDrawnEvenly() {
    Set<String> seen = new HashSet<>();
    int[] counts = new int[128];
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      String id = Ids.next("cus_");
      assertThat(id).startsWith("cus_").hasSize(20).matches("cus_[0-9A-Za-z]{16}");
      seen.add(id);
      id.substring(4).chars().forEach(c -> counts[c]++);
    }
    assertThat(seen).as("no repeats").hasSize(n);
    // 320,000 characters over 62 symbols: about 5,161 each; 4 standard deviations is about 285.
    double expected = n * 16 / 62.0;
    for (char c : "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray()) {
      assertThat((double) counts[c])
          .as("count of %s", c)
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(400.0));
    }
  }

  @Test
  void randomBytesAreFreshEachTime() {
    assertThat(Ids.randomBytes(32)).hasSize(32).isNotEqualTo(Ids.randomBytes(32));
  }
}
