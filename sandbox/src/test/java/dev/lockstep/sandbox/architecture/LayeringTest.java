package dev.lockstep.sandbox.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package boundaries (README "Architecture"), checked on the compiled classes of
 * every production module: a new forbidden import fails the build.
 */
class LayeringTest {
  private static JavaClasses production;

  @BeforeAll
  static void importClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.lockstep");
    // A rule over no classes passes: be sure the modules were found.
    if (production.stream().noneMatch(c -> c.getPackageName().startsWith("dev.lockstep.api"))
        || production.stream()
            .noneMatch(c -> c.getPackageName().startsWith("dev.lockstep.keeper"))) {
      throw new IllegalStateException("module classes not found on the test classpath");
    }
  }

  @Test
  void apiNeverImportsTheKeeper() {
    noClasses()
        .that()
        .resideInAPackage("dev.lockstep.api..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.lockstep.keeper..")
        .check(production);
  }

  @Test
  void keeperNeverImportsTheApi() {
    noClasses()
        .that()
        .resideInAPackage("dev.lockstep.keeper..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.lockstep.api..")
        .check(production);
  }

  @Test
  void nothingBelowTheCompositionRootImportsIt() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.lockstep.indexer..",
            "dev.lockstep.keeper..",
            "dev.lockstep.api..",
            "dev.lockstep.ports..",
            "dev.lockstep.devnet..",
            "dev.lockstep.contracts..",
            "dev.lockstep.webhook..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.lockstep.daemon..", "dev.lockstep.sandbox..", "dev.lockstep.bench..")
        .check(production);
  }

  @Test
  void theProductionDaemonCarriesNoDevnet() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.lockstep.indexer..",
            "dev.lockstep.keeper..",
            "dev.lockstep.api..",
            "dev.lockstep.ports..",
            "dev.lockstep.daemon..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.lockstep.devnet..", "dev.lockstep.sandbox..")
        .check(production);
  }

  @Test
  void theSandboxIsUsedOnlyByTheBenchmarks() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.lockstep.sandbox..", "dev.lockstep.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.lockstep.sandbox..")
        .check(production);
  }

  @Test
  void portsDependOnlyOnTheIndexer() {
    noClasses()
        .that()
        .resideInAPackage("dev.lockstep.ports..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.lockstep.keeper..", "dev.lockstep.api..", "dev.lockstep.indexer.sync..")
        .check(production);
  }

  @Test
  void theIndexersRpcLayerImportsNoOtherIndexerPackage() {
    noClasses()
        .that()
        .resideInAPackage("dev.lockstep.indexer.rpc..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.lockstep.indexer.store..",
            "dev.lockstep.indexer.sync..",
            "dev.lockstep.indexer.decode..",
            "dev.lockstep.indexer.config..")
        .check(production);
  }

  @Test
  void theIndexersVocabularyDependsOnNoOtherIndexerPackage() {
    noClasses()
        .that()
        .resideInAPackage("dev.lockstep.indexer.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.lockstep.indexer.store..",
            "dev.lockstep.indexer.sync..",
            "dev.lockstep.indexer.decode..",
            "dev.lockstep.indexer.config..",
            "dev.lockstep.indexer.rpc..")
        .check(production);
  }

  @Test
  void theIndexersStoreNeverReachesUpIntoSync() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.lockstep.indexer.store..",
            "dev.lockstep.indexer.decode..",
            "dev.lockstep.indexer.rpc..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.lockstep.indexer.sync..")
        .check(production);
  }

  @Test
  void packagesOfEachModuleAreFreeOfCycles() {
    for (String module : new String[] {"indexer", "keeper", "api"}) {
      slices()
          .matching("dev.lockstep." + module + ".(*)..")
          .should()
          .beFreeOfCycles()
          .check(production);
    }
  }
}
