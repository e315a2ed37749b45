package dev.lockstep.sandbox;

import static dev.lockstep.sandbox.ApiClient.assertProblem;
import static dev.lockstep.sandbox.ApiClient.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lockstep.api.auth.Scope;
import dev.lockstep.api.cache.Notifications;
import dev.lockstep.api.cache.TenantReads;
import dev.lockstep.devnet.DevAccounts;
import dev.lockstep.ports.Mode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * The tenants' read cache ({@link TenantReads}) against two real daemons on one database: a read
 * kept on one daemon is served from memory (its hit counter moves) and still shows every write made
 * through the other within the notification's delivery, a write's own daemon shows it on the next
 * request, another tenant never sees a kept read, a cut listener makes the cache step aside, and a
 * row edited by hand (no notification) shows within the TTL.
 */
class ReadCacheIT {
  private static final Pattern HITS =
      Pattern.compile("cache_gets_total\\{cache=\"api_reads\",result=\"hit\"} ([0-9.E]+)");

  private static Sandbox sandbox;
  private static ApiClient first;
  private static ApiClient second;

  @BeforeAll
  static void start() {
    sandbox = Sandbox.start(0, Path.of("target", "read-cache-it"), 2, Clock.systemUTC(), Map.of());
    first = new ApiClient(sandbox.apiUrls().get(0));
    second = new ApiClient(sandbox.apiUrls().get(1));
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  private static String newKey(String tenant) {
    return sandbox.daemon().apiKeys().create(tenant, Mode.TEST, Scope.FULL);
  }

  private static String customer(String key, String externalId, String wallet) throws Exception {
    var r =
        first.post(
            "/v1/customers",
            key,
            "{\"external_id\": \"" + externalId + "\", \"wallet\": \"" + wallet + "\"}");
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    return body(r).get("id").asString();
  }

  private static String walletOf(ApiClient api, String key, String id) throws Exception {
    return body(api.get("/v1/customers/" + id, key)).get("wallet").asString();
  }

  private static double hits(ApiClient api) throws Exception {
    Matcher m = HITS.matcher(api.get("/metrics", null).body());
    assertThat(m.find()).as("the read cache's hit counter on /metrics").isTrue();
    return Double.parseDouble(m.group(1));
  }

  /**
   * Reads {@code id} on {@code api} until the answer comes from memory: the write's own
   * notification may reach the daemon after its first read, and then drops what that read kept.
   */
  private static void kept(ApiClient api, String key, String id) {
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              double before = hits(api);
              walletOf(api, key, id);
              return hits(api) > before;
            });
  }

  /** Sets customer {@code id}'s wallet straight in the table, announced to nobody. */
  private static void editWallet(String id, String wallet) throws Exception {
    assertThat(
            SandboxDb.update(
                sandbox,
                "UPDATE api.customers SET wallet = '" + wallet + "' WHERE id = '" + id + "'"))
        .isEqualTo(1);
  }

  private static String wallet(int n) {
    return "0x" + String.format(Locale.ROOT, "%040x", n);
  }

  @Test
  void aWriteThroughOneDaemonReachesTheOthersKeptReadsWithinTheNotification() throws Exception {
    String key = newKey("ten_rc_write");
    String id = customer(key, "rc-1", wallet(1));
    assertThat(walletOf(first, key, id)).isEqualTo(wallet(1)); // kept on the first daemon
    assertThat(walletOf(second, key, id)).isEqualTo(wallet(1)); // and on the second
    String listPath = "/v1/customers?external_id=rc-1";
    assertThat(body(second.get(listPath, key)).at("/data/0/wallet").asString())
        .isEqualTo(wallet(1));
    double before = hits(second);
    for (int i = 0; i < 5; i++) {
      assertThat(walletOf(second, key, id)).isEqualTo(wallet(1));
      assertThat(body(second.get(listPath, key)).at("/data/0/wallet").asString())
          .isEqualTo(wallet(1));
    }
    assertThat(hits(second) - before)
        .as("the ten repeated reads were served from memory")
        .isGreaterThanOrEqualTo(10);

    customer(key, "rc-1", wallet(2)); // the same external_id: its wallet updated
    long written = System.nanoTime();
    assertThat(walletOf(first, key, id))
        .as("on the daemon that wrote it: the next request")
        .isEqualTo(wallet(2));
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> walletOf(second, key, id).equals(wallet(2)));
    long millis = (System.nanoTime() - written) / 1_000_000;
    System.out.printf("a write reached the other daemon's kept read in %d ms%n", millis);
    assertThat(body(second.get(listPath, key)).at("/data/0/wallet").asString())
        .as("the kept list page too")
        .isEqualTo(wallet(2));

    // A new customer appears in a list page kept before it existed.
    String all = "/v1/customers?limit=100";
    assertThat(body(second.get(all, key)).get("data").size()).isEqualTo(1);
    customer(key, "rc-2", wallet(3));
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> body(second.get(all, key)).get("data").size() == 2);
  }

  @Test
  void provingAWalletShowsInTheOtherDaemonsKeptRead() throws Exception {
    String key = newKey("ten_rc_proof");
    Credentials holder = DevAccounts.wallet(4);
    String id = customer(key, "rc-proof", holder.getAddress().toLowerCase(Locale.ROOT));
    assertThat(body(second.get("/v1/customers/" + id, key)).get("wallet_proven").asBoolean())
        .isFalse();
    first.proveWallet(key, holder);
    await()
        .atMost(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> body(second.get("/v1/customers/" + id, key)).get("wallet_proven").asBoolean());
  }

  @Test
  void anotherTenantNeverSeesAKeptRead() throws Exception {
    String owner = newKey("ten_rc_owner");
    String other = newKey("ten_rc_other");
    String id = customer(owner, "rc-own", wallet(5));
    for (ApiClient api : new ApiClient[] {first, second}) {
      assertThat(api.get("/v1/customers/" + id, owner).statusCode()).isEqualTo(200);
      assertThat(api.get("/v1/customers/" + id, owner).statusCode()).isEqualTo(200); // kept
      assertProblem(api.get("/v1/customers/" + id, other), 404, "customer_not_found");
      assertThat(body(api.get("/v1/customers?external_id=rc-own", other)).get("data").size())
          .isZero();
    }
  }

  @Test
  void withItsListenerCutTheCacheStepsAsideAndAHandEditShowsAtOnce() throws Exception {
    String key = newKey("ten_rc_cut");
    String id = customer(key, "rc-cut", wallet(6));
    kept(second, key, id);
    assertThat(SandboxDb.cutListeners(sandbox)).as("both daemons' listeners cut").isEqualTo(2);
    // Edited behind every daemon's back: no notification at all.
    editWallet(id, wallet(7));
    long cut = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> walletOf(second, key, id).equals(wallet(7)));
    assertThat((System.nanoTime() - cut) / 1_000_000)
        .as("milliseconds until the cut was noticed")
        .isLessThan(Notifications.HEARTBEAT.toMillis() + 1_000);
  }

  @Test
  void aHandEditWithoutNotificationShowsWithinTheTtl() throws Exception {
    String key = newKey("ten_rc_hand");
    String id = customer(key, "rc-hand", wallet(8));
    kept(second, key, id);
    editWallet(id, wallet(9));
    long edited = System.nanoTime();
    assertThat(walletOf(second, key, id))
        .as("nothing announced the edit: the kept read stands until its TTL")
        .isEqualTo(wallet(8));
    await()
        .atMost(TenantReads.TTL.plusSeconds(2))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> walletOf(second, key, id).equals(wallet(9)));
    System.out.printf(
        "a hand edit reached the kept read in %d ms%n", (System.nanoTime() - edited) / 1_000_000);
  }
}
