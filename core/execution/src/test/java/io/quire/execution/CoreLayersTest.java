package io.quire.execution;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rules of core, checked rather than hoped for. */
class CoreLayersTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.quire.notebook", "io.quire.kernel", "io.quire.execution");
    }

    @Test
    void coreUsesNoServerOrUiFramework() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.helidon..", "javafx..", "java.awt..")
                .because("core is shared by the server, the desktop app and the CLI; HTTP and UI stay in their modules")
                .check(core);
    }

    @Test
    void notebookModelDoesNotKnowAboutKernels() {
        noClasses().that().resideInAPackage("io.quire.notebook..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quire.kernel..", "io.quire.execution..")
                .because("the nbformat model is a pure data library, usable without any kernel machinery")
                .check(core);
    }

    @Test
    void kernelProtocolDoesNotKnowAboutNotebooks() {
        noClasses().that().resideInAPackage("io.quire.kernel..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quire.notebook..", "io.quire.execution..")
                .because("the Jupyter protocol client serves any caller (server channels, runners), not only notebooks")
                .check(core);
    }

    @Test
    void kernelImplementationsAreReachedOnlyThroughTheSpiOrFactories() {
        noClasses().that().resideOutsideOfPackages("io.quire.kernel..")
                .should().dependOnClassesThat().resideInAPackage("io.quire.kernel.local..")
                .orShould().dependOnClassesThat().haveSimpleNameStartingWith("Zmq")
                .because("backends are chosen once, at start-up (KernelStarter); callers use the KernelProvisioner SPI")
                .check(core.that(com.tngtech.archunit.base.DescribedPredicate.not(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName("KernelStarter"))));
    }
}
