package io.cartrecovery.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The jobs' layers point one way (docs/architecture.md): records and rules (module core, which the
 * build keeps free of Flink) <- operators <- the job graph <- the command line. Connectors and
 * settings serve the graph and never see it.
 */
class LayersTest {
    static {
        // Dependencies are judged by their names: loading Flink's classes to resolve them costs
        // tens of seconds and decides nothing here.
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    }

    private static final JavaClasses JOBS =
            // The compiled classes of the two modules only: scanning the class path for a package
            // reads every jar on it.
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPaths(Path.of("target/classes"), Path.of("../core/target/classes"));

    private static final String[] GRAPH_AND_COMMANDS = {
        "io.cartrecovery.job..", "io.cartrecovery.replay..", "io.cartrecovery.cli.."
    };

    @Test
    void connectorsNeverSeeTheGraph() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.cartrecovery.sinks..",
                        "io.cartrecovery.clickhouse..",
                        "io.cartrecovery.formats..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(GRAPH_AND_COMMANDS)
                .check(JOBS);
    }

    @Test
    void settingsNeverSeeTheGraphOrTheOperators() {
        noClasses()
                .that()
                .resideInAPackage("io.cartrecovery.config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(GRAPH_AND_COMMANDS)
                .check(JOBS);
    }

    @Test
    void theJobGraphNeverSeesTheCommandLine() {
        noClasses()
                .that()
                .resideInAnyPackage("io.cartrecovery.job..", "io.cartrecovery.replay..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.cartrecovery.cli..")
                .check(JOBS);
    }

    @Test
    void theRulesNeverSeeFlinkEvenWhereTheirPackagesSpanBothModules() {
        noClasses()
                .that()
                .haveSimpleNameEndingWith("Rules")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
                .check(JOBS);
    }
}
