package dev.lockstep.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSecretsTest {
  private static final String KEY = "0x" + "5a".repeat(32);
  private static final String SECRET = "whsec_" + "x".repeat(32);

  @Test
  void aSealedSecretOpensOnlyWithItsKeyForItsWebhook() {
    WebhookSecrets secrets = WebhookSecrets.sealedWith(KEY);
    byte[] sealed = secrets.seal("whk_1", SECRET).orElseThrow();
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("whsec_");
    assertThat(sealed).hasSize(12 + SECRET.length() + 16);
    assertThat(secrets.seal("whk_1", SECRET).orElseThrow())
        .as("a fresh nonce each time")
        .isNotEqualTo(sealed);
    assertThat(secrets.open("whk_1", null, sealed)).isEqualTo(SECRET);
    assertThatThrownBy(() -> secrets.open("whk_2", null, sealed))
        .as("moved to another webhook's row")
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () -> WebhookSecrets.sealedWith("0x" + "5b".repeat(32)).open("whk_1", null, sealed))
        .as("another key")
        .isInstanceOf(IllegalStateException.class);
    sealed[20] ^= 1;
    assertThatThrownBy(() -> secrets.open("whk_1", null, sealed))
        .as("altered")
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void withoutAKeySecretsStayInClearAndASealedOneCannotBeOpened() {
    WebhookSecrets clear = WebhookSecrets.inClear();
    assertThat(clear.sealing()).isFalse();
    assertThat(clear.seal("whk_1", SECRET)).isEmpty();
    assertThat(clear.open("whk_1", SECRET, null)).isEqualTo(SECRET);
    byte[] sealed = WebhookSecrets.sealedWith(KEY).seal("whk_1", SECRET).orElseThrow();
    assertThatThrownBy(() -> clear.open("whk_1", null, sealed))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aKeyIsThirtyTwoBytesOfHex() {
    assertThatThrownBy(() -> WebhookSecrets.sealedWith("0x1234"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(WebhookSecrets.sealedWith("5a".repeat(32)).sealing()).isTrue();
  }
}
