package io.tocsin.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job's package graph, checked over its compiled classes: each layer uses only the layers below
 * it, and the stages do not use each other. A new sideways or upward import fails here.
 *
 * <pre>
 * cli
 * pipeline                      analytics
 * sink
 * anomaly changes correlate dedupe escalate status suppress   (the stages)
 * control                       ingest
 * config
 * avro evidence metrics time    (the base)
 * </pre>
 */
class PackageGraphTest {

    static final List<String> STAGES =
            List.of("anomaly", "changes", "correlate", "dedupe", "escalate", "status", "suppress");

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.tocsin");
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("cli")
                .definedBy("io.tocsin.cli..")
                .layer("pipeline")
                .definedBy("io.tocsin.pipeline..")
                .layer("analytics")
                .definedBy("io.tocsin.analytics..")
                .layer("sink")
                .definedBy("io.tocsin.sink..")
                .layer("stages")
                .definedBy(STAGES.stream().map(s -> "io.tocsin." + s + "..").toArray(String[]::new))
                .layer("control")
                .definedBy("io.tocsin.control..")
                .layer("ingest")
                .definedBy("io.tocsin.ingest..")
                .layer("config")
                .definedBy("io.tocsin.config..")
                .layer("base")
                .definedBy(
                        "io.tocsin.avro..",
                        "io.tocsin.evidence..",
                        "io.tocsin.metrics..",
                        "io.tocsin.time..")
                .whereLayer("cli")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("pipeline")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("analytics")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("sink")
                .mayOnlyBeAccessedByLayers("pipeline", "cli")
                .whereLayer("stages")
                .mayOnlyBeAccessedByLayers("sink", "pipeline", "cli")
                .whereLayer("control")
                .mayOnlyBeAccessedByLayers("stages", "pipeline", "cli")
                .whereLayer("ingest")
                .mayOnlyBeAccessedByLayers("stages", "sink", "pipeline", "cli")
                .whereLayer("config")
                .mayOnlyBeAccessedByLayers(
                        "control", "ingest", "stages", "sink", "analytics", "pipeline", "cli")
                .check(classes);
    }

    @Test
    void stagesDoNotUseEachOther() {
        for (String stage : STAGES) {
            String[] others =
                    STAGES.stream()
                            .filter(s -> !s.equals(stage))
                            .map(s -> "io.tocsin." + s + "..")
                            .toArray(String[]::new);
            DescribedPredicate<JavaClass> target = resideInAnyPackage(others);
            noClasses()
                    .that()
                    .resideInAPackage("io.tocsin." + stage + "..")
                    .should()
                    .dependOnClassesThat(target)
                    .because("a stage is wired to the others by the pipeline, not by imports")
                    .check(classes);
        }
    }
}
