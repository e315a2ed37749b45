package dev.lockstep.indexer.rpc;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads the JSON-RPC answers the indexer asks for ({@code eth_blockNumber}, batched {@code
 * eth_getBlockByNumber}, {@code eth_getLogs}, batched {@code eth_getBlockReceipts}) with a
 * streaming parser, keeping only the fields it uses: a backfill reads millions of logs, and web3j's
 * response types decode every quantity through an exception and a regex and read blocks into trees
 * first.
 *
 * <p>Consecutive logs mostly share their block hash, transaction hash, address and topics; a value
 * equal to the previous log's is compared in the parser's buffer and the earlier String reused, and
 * quantities are parsed in place. Hex strings come out lowercase. One instance per answer.
 */
final class JsonRpcAnswers {
  /**
   * Provider answers meaning "this eth_getLogs range is too big" (geth, Infura, Alchemy, QuickNode,
   * anvil proxies).
   */
  private static final Pattern RANGE_ERROR =
      Pattern.compile(
          "(more than \\d+ results|too many (results|logs)|response size|range (is )?too (large|wide|big)"
              + "|exceeds? (the )?max(imum)? (block )?range|block range|limit exceeded|max results|query timeout exceeded)",
          Pattern.CASE_INSENSITIVE);

  private final JsonParser p;
  private final String what;
  private final Last address = new Last();
  private final Last blockHash = new Last();
  private final Last txHash = new Last();
  private final Last data = new Last();
  private final Last[] topics = {new Last(), new Last(), new Last(), new Last()};

  /** Whether a range error object means {@link RangeTooLargeException} (only eth_getLogs). */
  private boolean rangeErrors;

  JsonRpcAnswers(JsonParser p, String what) {
    this.p = p;
    this.what = what;
  }

  /** The answer to {@code eth_blockNumber}. */
  long blockNumber() throws IOException {
    Long n = single(() -> quantity());
    if (n == null) {
      throw new RpcException(RpcErrorKind.RPC, what + ": null result");
    }
    return n;
  }

  /**
   * The answer to {@code eth_getLogs}; a provider's range error is {@link RangeTooLargeException}.
   */
  List<RawLog> logs() throws IOException {
    rangeErrors = true;
    List<RawLog> logs = single(this::logArray);
    if (logs == null) {
      throw new RpcException(RpcErrorKind.RPC, what + ": null result");
    }
    return logs;
  }

  /**
   * The answer to a batch of {@code eth_getBlockByNumber(n, false)} requests whose ids are {@code
   * 0..numbers.size()-1}, in the order of {@code numbers} (a batch answer may come in any order).
   *
   * @throws RpcException (inconsistent) if the node lacks one of the blocks
   */
  List<RpcBlock> blocks(List<Long> numbers) throws IOException {
    if (p.nextToken() != JsonToken.START_ARRAY) {
      throw new RpcException(RpcErrorKind.RPC, what + ": batch answer is not an array");
    }
    Map<Integer, RpcBlock> byId = new HashMap<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      int[] id = {-1};
      RpcBlock h = response(id, this::block);
      if (id[0] < 0 || id[0] >= numbers.size()) {
        throw new RpcException(RpcErrorKind.RPC, what + ": answer with unknown id " + id[0]);
      }
      if (h == null) {
        throw new RpcException(
            RpcErrorKind.INCONSISTENT,
            "node has no block " + numbers.get(id[0]) + " (behind or reorged)");
      }
      if (h.header().number() != numbers.get(id[0])) {
        throw new RpcException(
            RpcErrorKind.INCONSISTENT,
            what
                + ": asked for block "
                + numbers.get(id[0])
                + ", got block "
                + h.header().number());
      }
      byId.put(id[0], h);
    }
    List<RpcBlock> out = new ArrayList<>(numbers.size());
    for (int i = 0; i < numbers.size(); i++) {
      RpcBlock h = byId.get(i);
      if (h == null) {
        throw new RpcException(
            RpcErrorKind.RPC, what + ": batch answer lacks block " + numbers.get(i));
      }
      out.add(h);
    }
    return out;
  }

  /** The current token's array of logs (an {@code eth_getLogs} result). */
  private List<RawLog> logArray() throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new RpcException(RpcErrorKind.RPC, what + ": result is not an array");
    }
    List<RawLog> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      out.add(log());
    }
    return out;
  }

  /** A batch of {@code n} {@code eth_getLogs} answers (ids 0..n-1), in id order. */
  List<List<RawLog>> logsBatch(int n) throws IOException {
    List<List<RawLog>> out = batch(n, this::logArray);
    for (int i = 0; i < n; i++) {
      if (out.get(i) == null) {
        throw new RpcException(RpcErrorKind.RPC, what + ": answer " + i + " is null");
      }
    }
    return out;
  }

  /**
   * A batch of {@code n} {@code eth_getBlockReceipts} answers (ids 0..n-1), in id order.
   *
   * @throws RpcException (inconsistent) if the node answers null: it has no such block
   */
  List<List<RpcReceipt>> receiptsBatch(int n) throws IOException {
    List<List<RpcReceipt>> out = batch(n, this::receiptArray);
    for (int i = 0; i < n; i++) {
      if (out.get(i) == null) {
        throw new RpcException(
            RpcErrorKind.INCONSISTENT, what + ": the node has no block " + i + " of the batch");
      }
    }
    return out;
  }

  /**
   * A batch of {@code n} answers (ids 0..n-1) read by {@code result}, in id order (a batch answer
   * may come in any order); null where the node answered null.
   */
  private <T> List<@Nullable T> batch(int n, ValueReader<T> result) throws IOException {
    if (p.nextToken() != JsonToken.START_ARRAY) {
      throw new RpcException(RpcErrorKind.RPC, what + ": batch answer is not an array");
    }
    Map<Integer, @Nullable T> byId = new HashMap<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      int[] id = {-1};
      T value = response(id, result);
      if (id[0] < 0 || id[0] >= n || byId.containsKey(id[0])) {
        throw new RpcException(RpcErrorKind.RPC, what + ": answer with unknown id " + id[0]);
      }
      byId.put(id[0], value);
    }
    List<@Nullable T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (!byId.containsKey(i)) {
        throw new RpcException(RpcErrorKind.RPC, what + ": batch answer lacks answer " + i);
      }
      out.add(byId.get(i));
    }
    return out;
  }

  /** The current token's array of receipts (an {@code eth_getBlockReceipts} result). */
  private List<RpcReceipt> receiptArray() throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new RpcException(RpcErrorKind.RPC, what + ": result is not an array");
    }
    List<RpcReceipt> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      out.add(receipt());
    }
    return out;
  }

  private RpcReceipt receipt() throws IOException {
    long type = 0;
    long status = -1;
    long cumulativeGasUsed = -1;
    byte[] bloom = null;
    List<RawLog> logs = List.of();
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (name) {
        case "type" -> type = quantity();
        case "status" -> status = quantity();
        case "cumulativeGasUsed" -> cumulativeGasUsed = quantity();
        case "logsBloom" -> bloom = bytes(256);
        case "logs" -> logs = logArray();
        default -> p.skipChildren();
      }
    }
    if (status < 0 || cumulativeGasUsed < 0 || bloom == null || type > 0xff) {
      throw new RpcException(
          RpcErrorKind.RPC,
          what
              + ": receipt without status, cumulative gas or bloom (receipts from before"
              + " Byzantium are not supported)");
    }
    return new RpcReceipt((int) type, status, cumulativeGasUsed, bloom, logs);
  }

  @FunctionalInterface
  private interface ValueReader<T> {
    /** Reads the value the parser is positioned on. */
    T read() throws IOException;
  }

  private <T> T single(ValueReader<T> result) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new RpcException(RpcErrorKind.RPC, what + ": answer is not a JSON object");
    }
    return response(new int[1], result);
  }

  /**
   * Reads one response object (the parser on its START_OBJECT): its id into {@code id[0]} and its
   * result, which is null when the node answered null.
   *
   * @throws RpcException for an error object or an object with neither result nor error
   */
  private <T> T response(int[] id, ValueReader<T> result) throws IOException {
    T value = null;
    boolean answered = false;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken t = p.nextToken();
      switch (name) {
        case "id" -> id[0] = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
        case "result" -> {
          answered = true;
          value = t == JsonToken.VALUE_NULL ? null : result.read();
        }
        case "error" -> error(t);
        default -> p.skipChildren();
      }
    }
    if (!answered) {
      throw new RpcException(RpcErrorKind.RPC, what + ": answer has neither result nor error");
    }
    return value;
  }

  private RpcBlock block() throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new RpcException(RpcErrorKind.RPC, what + ": block is not an object");
    }
    long number = -1;
    long timestamp = -1;
    String hash = null;
    String parentHash = null;
    byte[] bloom = new byte[0];
    String receiptsRoot = "";
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (name) {
        case "number" -> number = quantity();
        case "hash" -> hash = lower(p.getString());
        case "parentHash" -> parentHash = lower(p.getString());
        case "timestamp" -> timestamp = quantity();
        case "logsBloom" -> bloom = bytes(256);
        case "receiptsRoot" -> receiptsRoot = lower(p.getString());
        default -> p.skipChildren();
      }
    }
    if (number < 0 || hash == null || parentHash == null || timestamp < 0) {
      throw new RpcException(
          RpcErrorKind.INCONSISTENT,
          what + ": block without number, hash, parent or timestamp" + " (pending or malformed)");
    }
    return new RpcBlock(
        new BlockHeader(number, hash, parentHash, Instant.ofEpochSecond(timestamp)),
        bloom,
        receiptsRoot);
  }

  /** The current string token as {@code length} bytes of 0x-hex. */
  private byte[] bytes(int length) throws IOException {
    String hex = p.getString();
    if (hex.length() != 2 + 2 * length || !hex.startsWith("0x")) {
      throw new RpcException(RpcErrorKind.RPC, what + ": expected " + length + " bytes of hex");
    }
    try {
      return HexFormat.of().parseHex(hex, 2, hex.length());
    } catch (IllegalArgumentException e) {
      throw new RpcException(RpcErrorKind.RPC, what + ": " + e.getMessage());
    }
  }

  private RawLog log() throws IOException {
    boolean hasAddress = false;
    boolean hasBlockHash = false;
    boolean hasTx = false;
    long blockNumber = -1;
    long logIndex = -1;
    boolean removed = false;
    List<String> logTopics = List.of();
    String logAddress = null;
    String logData = "0x";
    String logBlockHash = null;
    String logTxHash = null;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (name) {
        case "address" -> {
          logAddress = address.read(p);
          hasAddress = true;
        }
        case "data" -> logData = data.read(p);
        case "blockNumber" -> blockNumber = quantity();
        case "blockHash" -> {
          logBlockHash = blockHash.read(p);
          hasBlockHash = true;
        }
        case "transactionHash" -> {
          logTxHash = txHash.read(p);
          hasTx = true;
        }
        case "logIndex" -> logIndex = quantity();
        case "removed" -> removed = t == JsonToken.VALUE_TRUE;
        case "topics" -> logTopics = topics(t);
        default -> p.skipChildren();
      }
    }
    if (!hasAddress || blockNumber < 0 || !hasBlockHash || !hasTx || logIndex < 0) {
      throw new RpcException(
          RpcErrorKind.INCONSISTENT,
          what + ": log without address, block, transaction or index" + " (pending or malformed)");
    }
    if (logIndex > Integer.MAX_VALUE) {
      throw new RpcException(RpcErrorKind.RPC, what + ": log index " + logIndex + " out of range");
    }
    return new RawLog(
        logAddress,
        logTopics,
        logData,
        blockNumber,
        logBlockHash,
        logTxHash,
        (int) logIndex,
        removed);
  }

  private List<String> topics(JsonToken t) throws IOException {
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return List.of();
    }
    String[] read = new String[4];
    int n = 0;
    while (p.nextToken() == JsonToken.VALUE_STRING) {
      if (n == read.length) {
        read = Arrays.copyOf(read, n * 2);
      }
      read[n] = n < topics.length ? topics[n].read(p) : lower(p.getString());
      n++;
    }
    return List.of(Arrays.copyOf(read, n));
  }

  /**
   * The last value of one log field. Consecutive logs mostly repeat their address, block hash,
   * transaction hash, topics and often data, so the parser's characters are compared (a vectorised
   * array compare) with the previous raw value and the previous String is reused when equal.
   */
  private static final class Last {
    private String value = "";
    private char[] raw = new char[0];

    /**
     * The current string token lowercased (hex is case-insensitive), reusing the previous String
     * when equal.
     */
    String read(JsonParser p) throws IOException {
      char[] chars = p.getStringCharacters();
      int off = p.getStringOffset();
      int len = p.getStringLength();
      if (len == raw.length && Arrays.equals(chars, off, off + len, raw, 0, len)) {
        return value;
      }
      raw = Arrays.copyOfRange(chars, off, off + len);
      String lower = new String(raw).toLowerCase(Locale.ROOT);
      if (!lower.equals(value)) {
        value = lower;
      }
      return value;
    }
  }

  /**
   * The current string token as a JSON-RPC QUANTITY (0x-hex, at most 60 bits), parsed in the
   * parser's buffer.
   */
  private long quantity() throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw new RpcException(RpcErrorKind.RPC, what + ": not a quantity: " + p.currentToken());
    }
    char[] chars = p.getStringCharacters();
    int off = p.getStringOffset();
    int len = p.getStringLength();
    if (len < 3
        || len > 17
        || chars[off] != '0'
        || (chars[off + 1] != 'x' && chars[off + 1] != 'X')) {
      throw new RpcException(
          RpcErrorKind.RPC, what + ": not a quantity: " + new String(chars, off, len));
    }
    long v = 0;
    for (int i = off + 2; i < off + len; i++) {
      int d = Character.digit(chars[i], 16);
      if (d < 0) {
        throw new RpcException(
            RpcErrorKind.RPC, what + ": not a quantity: " + new String(chars, off, len));
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /**
   * Reads an error object and throws it as {@link RangeTooLargeException} or {@link RpcException}.
   */
  private void error(JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      throw new RpcException(RpcErrorKind.RPC, what + ": error " + t);
    }
    long code = 0;
    String message = "";
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      JsonToken v = p.nextToken();
      if (name.equals("code") && v == JsonToken.VALUE_NUMBER_INT) {
        code = p.getLongValue();
      } else if (name.equals("message") && v == JsonToken.VALUE_STRING) {
        message = p.getString();
      } else {
        p.skipChildren();
      }
    }
    if (rangeErrors && RANGE_ERROR.matcher(message).find()) {
      throw new RangeTooLargeException(what + ": " + message);
    }
    RpcErrorKind kind =
        code == 429 || message.toLowerCase(Locale.ROOT).contains("rate limit")
            ? RpcErrorKind.RATE_LIMITED
            : RpcErrorKind.RPC;
    throw new RpcException(kind, what + ": " + code + " " + message);
  }

  private static String lower(String hex) {
    return hex.toLowerCase(Locale.ROOT);
  }
}
