package io.quire.desktop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The desktop's dependency rules, checked rather than hoped for. */
class DesktopLayersTest {
    private static JavaClasses desktop;

    @BeforeAll
    static void importDesktop() {
        desktop = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.quire.desktop");
    }

    @Test
    void onlyTheBootstrapUsesTheServerAndCore() {
        noClasses().that().doNotHaveFullyQualifiedName(EmbeddedServer.class.getName())
                .should().dependOnClassesThat().resideInAnyPackage("io.quire.server..", "io.quire.kernel..",
                        "io.quire.execution..", "io.quire.sessions..", "io.quire.contents..", "io.quire.docker..",
                        "io.quire.notebook..", "io.helidon..")
                .because("the desktop talks to every server, the embedded one included, only through the client SDK;"
                        + " EmbeddedServer alone starts the embedded server")
                .check(desktop);
    }

    @Test
    void viewModelsHoldNoSceneGraphTypes() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .or().haveSimpleNameEndingWith("Model")
                .or().resideInAPackage("io.quire.desktop.notebook").and().haveSimpleNameStartingWith("Notebook")
                .and().haveSimpleNameNotEndingWith("View")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..")
                .because("view models are unit-tested without a stage; only views touch the scene graph")
                .check(desktop);
    }

    @Test
    void outputModelHoldsNoSceneGraphTypes() {
        noClasses().that().resideInAPackage("io.quire.desktop.output")
                .and().haveNameNotMatching(".*(View|Renderer)(\\$.*)?")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .because("what to show for an output is decided by pure, unit-tested code")
                .check(desktop);
    }
}
