package dev.lockstep.indexer;

import dev.lockstep.indexer.config.ChainConfig;
import dev.lockstep.indexer.store.BatchWriter;
import dev.lockstep.indexer.store.IndexReader;
import dev.lockstep.indexer.store.Outbox;
import dev.lockstep.indexer.store.SchemaMigrations;
import dev.lockstep.indexer.sync.ChainFollower;
import dev.lockstep.indexer.sync.ChainHealth;
import dev.lockstep.indexer.sync.IndexListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The indexer on its own: migrates the {@code indexer} schema of a PostgreSQL database and runs one
 * {@link ChainFollower} per configured chain. Usable without the rest of the daemon ({@code
 * lockstep index --config FILE}).
 */
public final class Indexer implements AutoCloseable {
  private final IndexReader reader;
  private final Outbox outbox = new Outbox();
  private final List<ChainFollower> followers;

  public Indexer(
      DataSource dataSource,
      List<ChainConfig> chains,
      MeterRegistry registry,
      List<IndexListener> listeners,
      Clock clock) {
    SchemaMigrations.migrate(dataSource, SchemaMigrations.INDEXER);
    Jdbi jdbi = Jdbi.create(dataSource);
    this.reader = new IndexReader(jdbi);
    BatchWriter writer = new BatchWriter(jdbi);
    this.followers =
        chains.stream()
            .map(c -> new ChainFollower(c, writer, reader, registry, listeners, clock))
            .toList();
  }

  /** Starts every chain's follower. */
  public Indexer start() {
    followers.forEach(ChainFollower::start);
    return this;
  }

  /** Read access to the indexed state. */
  public IndexReader reader() {
    return reader;
  }

  /** The transactional outbox, for the consumer that publishes its events. */
  public Outbox outbox() {
    return outbox;
  }

  /** Every chain's sync state, in configuration order. */
  public List<ChainHealth> health() {
    return followers.stream().map(ChainFollower::health).toList();
  }

  @Override
  public void close() {
    followers.forEach(ChainFollower::close);
  }
}
