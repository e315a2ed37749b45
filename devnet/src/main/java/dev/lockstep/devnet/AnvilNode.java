package dev.lockstep.devnet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One anvil process (the local Ethereum node from the pinned npm package
 * {@code @foundry-rs/anvil-linux-amd64}), listening on a random free port that anvil chooses itself
 * ({@code --port 0}) and reports on stdout.
 *
 * <p>Closing the node kills the process. Not thread-safe for concurrent close.
 */
public final class AnvilNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AnvilNode.class);
  private static final Pattern LISTENING = Pattern.compile("Listening on ([0-9.]+):(\\d+)");
  private static final String BINARY = "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

  /** util-linux setsid(1): runs the node in a new session (it execs, so the pid is the node's). */
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final Process process;
  private final long chainId;
  private final String host;
  private final int port;

  private AnvilNode(Process process, long chainId, String host, int port) {
    this.process = process;
    this.chainId = chainId;
    this.host = host;
    this.port = port;
  }

  /**
   * Starts anvil with {@code chainId} and blocks until it listens.
   *
   * @param chainId EIP-155 chain id the node reports
   * @param blockTime seconds between blocks, or empty to mine one block per transaction (automine)
   * @throws DevnetException if the binary is missing or the node does not come up within 30 s
   */
  public static AnvilNode start(long chainId, Optional<Duration> blockTime) {
    Path binary = locateBinary();
    List<String> cmd = new ArrayList<>();
    // A session of its own: Ctrl-C in a terminal signals the whole foreground process group, and
    // the node must outlive the daemon's orderly stop, which ends it last (close()).
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
    }
    cmd.addAll(List.of(binary.toString(), "--port", "0", "--host", "127.0.0.1"));
    cmd.addAll(
        List.of(
            "--chain-id",
            Long.toString(chainId),
            "--accounts",
            Integer.toString(DevAccounts.COUNT)));
    blockTime.ifPresent(t -> cmd.addAll(List.of("--block-time", Long.toString(t.toSeconds()))));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      CompletableFuture<Listening> ready = new CompletableFuture<>();
      Thread reader =
          Thread.ofVirtual()
              .name("anvil-" + chainId)
              .start(
                  () -> {
                    try (BufferedReader r =
                        new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                      String line;
                      while ((line = r.readLine()) != null) {
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                          ready.complete(new Listening(m.group(1), Integer.parseInt(m.group(2))));
                        }
                      }
                    } catch (IOException e) {
                      ready.completeExceptionally(e);
                    }
                    ready.completeExceptionally(
                        new DevnetException("anvil exited before listening"));
                  });
      Listening at = ready.get(30, TimeUnit.SECONDS);
      log.info(
          "anvil chainId={} listening on {}:{} (pid {})", chainId, at.host(), at.port(), p.pid());
      return new AnvilNode(p, chainId, at.host(), at.port());
    } catch (Exception e) {
      throw new DevnetException("could not start anvil from " + binary + ": " + e.getMessage(), e);
    }
  }

  private record Listening(String host, int port) {}

  /**
   * Finds the anvil binary: {@code LOCKSTEP_ANVIL}, else {@code node_modules} in the working
   * directory or a parent.
   */
  static Path locateBinary() {
    String override = System.getenv("LOCKSTEP_ANVIL");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    return ProjectRoot.find()
        .map(r -> r.resolve(BINARY))
        .filter(Files::isExecutable)
        .orElseThrow(
            () ->
                new DevnetException(
                    "anvil not found: run the build (it installs the pinned npm toolchain) or set LOCKSTEP_ANVIL"));
  }

  /** HTTP JSON-RPC URL, for example {@code http://127.0.0.1:41234}. */
  public String rpcUrl() {
    return "http://" + host + ":" + port;
  }

  /** WebSocket JSON-RPC URL on the same port. */
  public String wsUrl() {
    return "ws://" + host + ":" + port;
  }

  /** The chain id the node reports. */
  public long chainId() {
    return chainId;
  }

  /** {@code evm_snapshot}: an id to {@link #revert} to. */
  public String snapshot() {
    return control("evm_snapshot", "[]").replace("\"", "");
  }

  /**
   * {@code evm_revert}: the chain goes back to the snapshot's block; later blocks (and the pool)
   * are gone.
   */
  public void revert(String snapshotId) {
    control("evm_revert", "[\"" + snapshotId + "\"]");
  }

  /**
   * Mines {@code n} blocks at once ({@code anvil_mine}), including pending transactions that pay
   * enough.
   */
  public void mine(int n) {
    control("anvil_mine", "[\"0x" + Integer.toHexString(n) + "\"]");
  }

  /** Turns mining one block per transaction on or off ({@code evm_setAutomine}). */
  public void automine(boolean on) {
    control("evm_setAutomine", "[" + on + "]");
  }

  /** Sets the base fee of the next block, in wei ({@code anvil_setNextBlockBaseFeePerGas}). */
  public void nextBlockBaseFee(java.math.BigInteger wei) {
    control("anvil_setNextBlockBaseFeePerGas", "[\"0x" + wei.toString(16) + "\"]");
  }

  /**
   * Calls an anvil control method and returns its raw JSON result.
   *
   * @throws DevnetException if the node answers with an error
   */
  public String control(String method, String paramsJson) {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\""
            + method
            + "\",\"params\":"
            + paramsJson
            + "}";
    try {
      var response =
          CONTROL.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(rpcUrl()))
                  .header("Content-Type", "application/json")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      tools.jackson.databind.JsonNode answer = JSON.readTree(response.body());
      if (answer.has("error")) {
        throw new DevnetException(method + " failed: " + answer.get("error"));
      }
      return answer.path("result").toString();
    } catch (IOException e) {
      throw new DevnetException(method + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevnetException(method + " interrupted");
    }
  }

  private static final java.net.http.HttpClient CONTROL = java.net.http.HttpClient.newHttpClient();
  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
