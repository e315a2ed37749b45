package dev.lockstep.indexer.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The streaming JSON-RPC reader against fixed answers (the shapes real providers send that a local
 * anvil never does: upper-case hex, error objects, HTTP 429, pending logs). The indexer's ITs cover
 * the same path against real anvil nodes.
 */
class ChainRpcTest {
  private static final String HASH_A = "0x" + "ab".repeat(32);
  private static final String TX = "0x" + "cd".repeat(32);
  private static final String TOPIC = "0x" + "ef".repeat(32);

  private HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>();
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private final AtomicReference<String> request = new AtomicReference<>();
  private final List<RpcErrorKind> errors = new ArrayList<>();
  private ChainRpc rpc;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          request.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] out = body.get().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status.get(), out.length);
          ex.getResponseBody().write(out);
          ex.close();
        });
    server.start();
    rpc =
        new ChainRpc(
            List.of("http://127.0.0.1:" + server.getAddress().getPort()),
            Duration.ofSeconds(2),
            0,
            errors::add);
  }

  @AfterEach
  void stop() {
    rpc.close();
    server.stop(0);
  }

  private static String log(String blockHash, String logIndex, String extra) {
    return """
        {"address":"0xAbCdEf0000000000000000000000000000000001","topics":["%s","0x%s"],"data":"0x01",
         "blockNumber":"0x1F","blockHash":"%s","transactionHash":"%s","transactionIndex":"0x0",
         "logIndex":"%s","removed":false,"blockTimestamp":"0x5"%s}"""
        .formatted(
            TOPIC.toUpperCase().replace("0X", "0x"),
            "00".repeat(12) + "11".repeat(20),
            blockHash,
            TX,
            logIndex,
            extra);
  }

  @Test
  void readsLogsLowercasedAndAsksForTheRangeAndAddresses() throws IOException {
    body.set(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":["
            + log(HASH_A.toUpperCase().replace("0X", "0x"), "0x0", "")
            + ","
            + log(HASH_A, "0xa", ",\"unknown\":{\"nested\":[1,2]}")
            + "]}");

    List<RawLog> logs = rpc.logs(16, 40, List.of("0xaaaa", "0xbbbb"), TOPIC);

    assertThat(logs).hasSize(2);
    RawLog first = logs.getFirst();
    assertThat(first.address()).isEqualTo("0xabcdef0000000000000000000000000000000001");
    assertThat(first.blockNumber()).isEqualTo(31);
    assertThat(first.blockHash()).isEqualTo(HASH_A);
    assertThat(first.transactionHash()).isEqualTo(TX);
    assertThat(first.topics()).containsExactly(TOPIC, "0x" + "00".repeat(12) + "11".repeat(20));
    assertThat(first.data()).isEqualTo("0x01");
    assertThat(first.removed()).isFalse();
    assertThat(logs.get(1).logIndex()).isEqualTo(10);
    assertThat(logs.get(1).blockHash()).isSameAs(first.blockHash());
    assertThat(request.get())
        .contains(
            "\"method\":\"eth_getLogs\"",
            "\"fromBlock\":\"0x10\"",
            "\"toBlock\":\"0x28\"",
            "\"address\":[\"0xaaaa\",\"0xbbbb\"]",
            "\"topics\":[\"" + TOPIC + "\"]");
  }

  @Test
  void aRemovedLogIsReportedAsRemoved() throws IOException {
    body.set(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":["
            + log(HASH_A, "0x0", "").replace("\"removed\":false", "\"removed\":true")
            + "]}");
    assertThat(rpc.logs(1, 2, List.of("0xaaaa"), null).getFirst().removed()).isTrue();
  }

  @Test
  void aProviderRangeErrorIsRangeTooLarge() {
    body.set(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32005,\"message\":\"query returned more than 10000 results\"}}");
    assertThatThrownBy(() -> rpc.logs(1, 5000, List.of("0xaaaa"), null))
        .isInstanceOf(RangeTooLargeException.class)
        .hasMessageContaining("more than 10000 results");
  }

  @Test
  void otherErrorsAreClassified() {
    body.set(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"header not found\"}}");
    assertThatThrownBy(() -> rpc.logs(1, 2, List.of("0xaaaa"), null))
        .isInstanceOfSatisfying(
            RpcException.class, e -> assertThat(e.kind()).isEqualTo(RpcErrorKind.RPC));

    status.set(429);
    body.set("{}");
    assertThatThrownBy(() -> rpc.logs(1, 2, List.of("0xaaaa"), null))
        .isInstanceOfSatisfying(
            RpcException.class, e -> assertThat(e.kind()).isEqualTo(RpcErrorKind.RATE_LIMITED));
    assertThat(errors).containsExactly(RpcErrorKind.RPC, RpcErrorKind.RATE_LIMITED);
  }

  @Test
  void aPendingLogOrAMalformedAnswerIsRefused() {
    body.set(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":["
            + log(HASH_A, "0x0", "").replace("\"blockNumber\":\"0x1F\"", "\"blockNumber\":null")
            + "]}");
    assertThatThrownBy(() -> rpc.logs(1, 2, List.of("0xaaaa"), null))
        .isInstanceOfSatisfying(
            RpcException.class, e -> assertThat(e.kind()).isEqualTo(RpcErrorKind.INCONSISTENT));

    body.set("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[{\"address\":");
    assertThatThrownBy(() -> rpc.logs(1, 2, List.of("0xaaaa"), null))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("malformed");

    body.set("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[" + log(HASH_A, "0xZZ", "") + "]}");
    assertThatThrownBy(() -> rpc.logs(1, 2, List.of("0xaaaa"), null))
        .isInstanceOf(RpcException.class)
        .hasMessageContaining("not a quantity");
  }

  private static String block(int id, long number, String hash) {
    return """
        {"jsonrpc":"2.0","id":%d,"result":{"number":"0x%x","hash":"%s","parentHash":"0x%s","timestamp":"0x64",
         "transactions":["0x01"],"uncles":[],"baseFeePerGas":"0x7"}}"""
        .formatted(id, number, hash, "00".repeat(32));
  }

  @Test
  void headersComeBackInAskedOrderWhateverTheBatchAnswerOrder() throws IOException {
    body.set(
        "[" + block(1, 9, HASH_A) + "," + block(0, 7, TX.toUpperCase().replace("0X", "0x")) + "]");

    var headers = rpc.headers(List.of(9L, 7L, 9L));

    assertThat(headers).extracting(h -> h.number()).containsExactly(7L, 9L);
    assertThat(headers.getFirst().hash()).isEqualTo(TX);
    assertThat(headers.getFirst().timestamp().getEpochSecond()).isEqualTo(100);
    assertThat(request.get())
        .contains("\"method\":\"eth_getBlockByNumber\",\"params\":[\"0x7\",false]");
  }

  @Test
  void aMissingOrWrongBlockIsInconsistent() {
    body.set("[{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":null}]");
    assertThatThrownBy(() -> rpc.headers(List.of(5L)))
        .isInstanceOfSatisfying(
            RpcException.class, e -> assertThat(e.kind()).isEqualTo(RpcErrorKind.INCONSISTENT));

    body.set("[" + block(0, 6, HASH_A) + "]");
    assertThatThrownBy(() -> rpc.headers(List.of(5L)))
        .isInstanceOfSatisfying(
            RpcException.class, e -> assertThat(e.kind()).isEqualTo(RpcErrorKind.INCONSISTENT));
  }

  @Test
  void blockNumberAndARangeLikeMessageOutsideGetLogs() throws IOException {
    body.set("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":\"0x10d4f\"}");
    assertThat(rpc.blockNumber()).isEqualTo(68943);

    body.set(
        "{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32000,\"message\":\"block range unavailable\"}}");
    assertThatThrownBy(() -> rpc.blockNumber())
        .isInstanceOfSatisfying(
            RpcException.class, e -> assertThat(e.kind()).isEqualTo(RpcErrorKind.RPC));
  }

  @Test
  void anEndpointWhoseAnswersKeepFailingVerificationIsPassedOverForAWhile() throws Exception {
    HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> served = java.util.Collections.synchronizedList(new ArrayList<>());
    other.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          served.add("second");
          byte[] out =
              "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x2\"}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, out.length);
          ex.getResponseBody().write(out);
          ex.close();
        });
    other.start();
    body.set("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x1\"}");
    String first = "http://127.0.0.1:" + server.getAddress().getPort();
    String second = "http://127.0.0.1:" + other.getAddress().getPort();
    List<String> demoted = new ArrayList<>();
    try (ChainRpc two =
        new ChainRpc(List.of(first, second), Duration.ofSeconds(2), 0, errors::add, demoted::add)) {
      assertThat(two.blockNumber()).isEqualTo(1);
      // The caller finds the answers incomplete five times in a row: each time it moves on, so
      // the strikes alternate first, second, first, second, first.
      for (int k = 0; k < 2 * ChainRpc.STRIKES - 1; k++) {
        two.preferNextUrl();
      }
      assertThat(demoted).as("only the endpoint with three strikes").containsExactly(first);
      assertThat(two.blockNumber()).isEqualTo(2);
      assertThat(served).hasSize(1);
    } finally {
      other.stop(0);
    }
  }

  @Test
  void strikesCountFailuresInARowAVerifiedAnswerStartsThemAgain() {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    List<String> demoted = new ArrayList<>();
    try (ChainRpc two =
        new ChainRpc(
            List.of(url + "/a", url + "/b"), Duration.ofSeconds(2), 0, errors::add, demoted::add)) {
      // a, b, a, b: two strikes each; the preferred endpoint is a again.
      for (int k = 0; k < 4; k++) {
        two.preferNextUrl();
      }
      two.answerVerified(); // a's answers verified: its strikes start again
      two.preferNextUrl(); // a: 1
      two.preferNextUrl(); // b: 3, demoted
      two.preferNextUrl(); // a: 2, not demoted
      assertThat(demoted).containsExactly(url + "/b");
    }
  }
}
