package dev.lockstep.indexer.rpc;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;
import org.web3j.utils.Numeric;

/**
 * The receipts root of a block, computed from its receipts as the header commits to it (Yellow
 * Paper section 4.3: the root of the Merkle Patricia trie keyed by the RLP of each receipt's index;
 * EIP-2718 typed receipts are {@code type || rlp(receipt)}, legacy ones {@code rlp(receipt)}, with
 * {@code rlp(receipt) = [status, cumulativeGasUsed, logsBloom, [[address, [topics], data], ...]]}
 * since EIP-658). A node can leave a log out of {@code eth_getLogs} without a trace, but not out of
 * receipts whose root matches the header it signed off on. Stateless.
 */
public final class ReceiptsRoot {
  private ReceiptsRoot() {}

  /** The root of {@code receipts}, in transaction order, 0x-hex. */
  public static String of(List<RpcReceipt> receipts) {
    List<byte[][]> pairs = new ArrayList<>();
    for (int i = 0; i < receipts.size(); i++) {
      pairs.add(
          new byte[][] {
            nibbles(RlpEncoder.encode(RlpString.create(BigInteger.valueOf(i)))),
            encode(receipts.get(i))
          });
    }
    byte[] root =
        pairs.isEmpty()
            ? RlpEncoder.encode(RlpString.create(new byte[0]))
            : RlpEncoder.encode(node(pairs, 0));
    return Numeric.toHexString(Hash.sha3(root));
  }

  /** The consensus encoding of one receipt (post-Byzantium: with a status). */
  static byte[] encode(RpcReceipt r) {
    List<RlpType> logs = new ArrayList<>(r.logs().size());
    for (RawLog l : r.logs()) {
      List<RlpType> topics = new ArrayList<>(l.topics().size());
      for (String t : l.topics()) {
        topics.add(RlpString.create(Numeric.hexStringToByteArray(t)));
      }
      logs.add(
          new RlpList(
              RlpString.create(Numeric.hexStringToByteArray(l.address())),
              new RlpList(topics),
              RlpString.create(Numeric.hexStringToByteArray(l.data()))));
    }
    byte[] body =
        RlpEncoder.encode(
            new RlpList(
                RlpString.create(BigInteger.valueOf(r.status())),
                RlpString.create(BigInteger.valueOf(r.cumulativeGasUsed())),
                RlpString.create(r.logsBloom()),
                new RlpList(logs)));
    if (r.type() == 0) {
      return body;
    }
    ByteArrayOutputStream typed = new ByteArrayOutputStream(body.length + 1);
    typed.write(r.type());
    typed.writeBytes(body);
    return typed.toByteArray();
  }

  /**
   * The trie node over {@code pairs} (nibble path, value), all sharing their first {@code depth}
   * nibbles: a leaf, an extension over their longer common prefix, or a branch.
   */
  private static RlpType node(List<byte[][]> pairs, int depth) {
    if (pairs.size() == 1) {
      byte[] path = pairs.getFirst()[0];
      return new RlpList(
          RlpString.create(hexPrefix(path, depth, path.length, true)),
          RlpString.create(pairs.getFirst()[1]));
    }
    int common = commonPrefix(pairs, depth);
    if (common > depth) {
      return new RlpList(
          RlpString.create(hexPrefix(pairs.getFirst()[0], depth, common, false)),
          reference(node(pairs, common)));
    }
    List<RlpType> branch = new ArrayList<>(17);
    byte[] value = new byte[0];
    for (int nibble = 0; nibble < 16; nibble++) {
      List<byte[][]> child = new ArrayList<>();
      for (byte[][] p : pairs) {
        if (p[0].length > depth && p[0][depth] == nibble) {
          child.add(p);
        }
      }
      branch.add(
          child.isEmpty() ? RlpString.create(new byte[0]) : reference(node(child, depth + 1)));
    }
    for (byte[][] p : pairs) {
      if (p[0].length == depth) {
        value = p[1];
      }
    }
    branch.add(RlpString.create(value));
    return new RlpList(branch);
  }

  /** A child as its parent holds it: inline below 32 bytes of RLP, else its Keccak-256. */
  private static RlpType reference(RlpType node) {
    byte[] encoded = RlpEncoder.encode(node);
    return encoded.length < 32 ? node : RlpString.create(Hash.sha3(encoded));
  }

  private static int commonPrefix(List<byte[][]> pairs, int depth) {
    byte[] first = pairs.getFirst()[0];
    int end = first.length;
    for (byte[][] p : pairs) {
      int i = depth;
      while (i < end && i < p[0].length && p[0][i] == first[i]) {
        i++;
      }
      end = i;
    }
    return end;
  }

  /**
   * Hex-prefix encoding (Yellow Paper appendix C) of nibbles {@code [from, to)} of {@code path}.
   */
  private static byte[] hexPrefix(byte[] path, int from, int to, boolean leaf) {
    int n = to - from;
    boolean odd = n % 2 == 1;
    byte[] out = new byte[n / 2 + 1];
    int flag = (leaf ? 2 : 0) + (odd ? 1 : 0);
    int i = from;
    if (odd) {
      out[0] = (byte) (flag << 4 | path[i++]);
    } else {
      out[0] = (byte) (flag << 4);
    }
    for (int k = 1; k < out.length; k++) {
      out[k] = (byte) (path[i] << 4 | path[i + 1]);
      i += 2;
    }
    return out;
  }

  private static byte[] nibbles(byte[] key) {
    byte[] out = new byte[key.length * 2];
    for (int i = 0; i < key.length; i++) {
      out[2 * i] = (byte) ((key[i] >> 4) & 0x0f);
      out[2 * i + 1] = (byte) (key[i] & 0x0f);
    }
    return out;
  }
}
