package dev.lockstep.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.api.error.ApiException;
import dev.lockstep.api.webhook.WebhookRequests;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {
  private static WebhookRequests.Create parse(String json) {
    return RequestBodies.parse(json.getBytes(StandardCharsets.UTF_8), WebhookRequests.Create.class);
  }

  private static String paramOf(String json) {
    try {
      parse(json);
    } catch (ApiException e) {
      assertThat(e.code().code()).isEqualTo("invalid_request");
      return (String) e.fields().get("param");
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void bindsSnakeCaseFieldsAndAppliesDefaults() {
    var c = parse("{\"url\": \"https://example.com/hook\", \"events\": [\"redeem.*\"]}");
    assertThat(c.url()).isEqualTo("https://example.com/hook");
    assertThat(c.events()).containsExactly("redeem.*");
    assertThat(c.enabled()).isNull();
  }

  @Test
  void refusesEveryWrongShapeNamingTheParameter() {
    assertThat(paramOf("{\"url\": 5, \"events\": [\"*\"]}")).isEqualTo("url");
    assertThat(paramOf("{\"url\": \"https://h/x\", \"events\": \"*\"}")).isEqualTo("events");
    assertThat(paramOf("{\"url\": \"https://h/x\", \"events\": [\"*\"], \"enabled\": \"true\"}"))
        .isEqualTo("enabled");
    assertThat(paramOf("{\"url\": \"https://h/x\", \"events\": [\"*\"], \"enabled\": 1}"))
        .isEqualTo("enabled");
    assertThat(paramOf("{\"url\": \"https://h/x\", \"events\": [\"*\", 7]}"))
        .isEqualTo("events[1]");
    assertThat(paramOf("{\"url\": \"https://h/x\", \"events\": [\"*\"], \"extra\": 1}"))
        .isEqualTo("extra");
    assertThat(
            paramOf("{\"url\": \"https://h/x\", \"url\": \"https://evil/x\", \"events\": [\"*\"]}"))
        .isEqualTo("body");
    assertThat(paramOf("{\"url\": \"https://h/x\", \"events\": [\"*\"]} {}")).isEqualTo("body");
    assertThat(paramOf("{\"url\": ")).isEqualTo("body");
    assertThat(paramOf("[]")).isEqualTo("body");
    assertThat(paramOf("{\"url\": \"ftp://h/x\", \"events\": [\"*\"]}")).isEqualTo("url");
    assertThat(paramOf("{\"url\": \"https://h/x\", \"events\": [\"Redeem.*\"]}"))
        .isEqualTo("events[0]");
    assertThat(paramOf("{\"events\": [\"*\"]}")).isEqualTo("url");
  }

  @Test
  void inMemoryPagesWalkBothWays() {
    List<String> all = List.of("e", "d", "c", "b", "a");
    Pagination first = new Pagination(2, java.util.Optional.empty(), java.util.Optional.empty());
    ListPage<String> p1 = first.page(all, s -> s);
    assertThat(p1.data()).containsExactly("e", "d");
    assertThat(p1.hasMore()).isTrue();
    ListPage<String> p2 =
        new Pagination(2, p1.nextCursor(), java.util.Optional.empty()).page(all, s -> s);
    assertThat(p2.data()).containsExactly("c", "b");
    ListPage<String> p3 =
        new Pagination(2, p2.nextCursor(), java.util.Optional.empty()).page(all, s -> s);
    assertThat(p3.data()).containsExactly("a");
    assertThat(p3.hasMore()).isFalse();
    ListPage<String> back =
        new Pagination(2, java.util.Optional.empty(), java.util.Optional.of("b")).page(all, s -> s);
    assertThat(back.data()).containsExactly("d", "c");
    assertThat(back.hasMore()).isTrue();
    assertThat(back.nextCursor()).contains("d");
    assertThatThrownBy(
            () ->
                new Pagination(2, java.util.Optional.of("zz"), java.util.Optional.empty())
                    .page(all, s -> s))
        .isInstanceOf(ApiException.class);
  }
}
