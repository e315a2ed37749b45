package dev.lockstep.indexer.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaMigrationsTest {
  @Test
  void theIndexersPackagedScriptsAreFoundByName() {
    assertThat(SchemaMigrations.packagedScripts("indexer"))
        .contains("V1__indexed_state.sql", "V4__outbox_wallet.sql")
        .allMatch(n -> n.matches("V\\d+__.+\\.sql"));
    assertThat(SchemaMigrations.packagedScripts("no_such_schema")).isEmpty();
  }
}
