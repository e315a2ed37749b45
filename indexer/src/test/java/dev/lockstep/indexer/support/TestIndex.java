package dev.lockstep.indexer.support;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.lockstep.devnet.EmbeddedDatabase;
import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.store.BatchWriter;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.SchemaMigrations;
import dev.lockstep.indexer.sync.ChainFollower;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** A fresh database with the indexer schema and a follower for one chain, for indexer tests. */
public final class TestIndex implements AutoCloseable {
  public final HikariDataSource ds;
  public final Jdbi jdbi;
  public final IndexReader reader;
  public final BatchWriter writer;
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ChainConfig chain;
  private ChainFollower follower;

  public TestIndex(EmbeddedDatabase db, String name, ChainConfig chain) {
    this.chain = chain;
    ds = new HikariDataSource();
    ds.setJdbcUrl(db.createDatabase(name));
    ds.setMaximumPoolSize(4);
    SchemaMigrations.migrate(ds, SchemaMigrations.INDEXER);
    jdbi = Jdbi.create(ds);
    reader = new IndexReader(jdbi);
    writer = new BatchWriter(jdbi);
  }

  /** Starts (or restarts) the follower. */
  public ChainFollower start() {
    stop();
    follower = new ChainFollower(chain, writer, reader, registry, List.of(), Clock.systemUTC());
    follower.start();
    return follower;
  }

  public ChainFollower follower() {
    return follower;
  }

  public void stop() {
    if (follower != null) {
      follower.close();
      follower = null;
    }
  }

  public long checkpoint() {
    return reader.checkpoint(chain.chainId()).map(c -> c.blockNumber()).orElse(-1L);
  }

  /** Waits until the checkpoint is at {@code head} and its hash is the node's hash there. */
  public void awaitAt(TestChain c) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              long h = c.head();
              var cp = reader.checkpoint(chain.chainId()).orElseThrow();
              if (cp.blockNumber() != h) return false;
              var b =
                  c.web3j
                      .ethGetBlockByNumber(
                          org.web3j.protocol.core.DefaultBlockParameter.valueOf(
                              java.math.BigInteger.valueOf(h)),
                          false)
                      .send()
                      .getBlock();
              return b.getHash().equalsIgnoreCase(cp.blockHash());
            });
  }

  @Override
  public void close() {
    stop();
    ds.close();
  }
}
