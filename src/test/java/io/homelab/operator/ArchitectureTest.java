package io.homelab.operator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.net.HttpURLConnection;
import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of DESIGN.md, checked on the compiled classes: controllers and pure code never touch
 * HTTP or SSH, drivers never reach into the simulators, and the API types depend on nothing above
 * them.
 *
 * <p>Layer patterns are anchored at our root package. A bare {@code ..reconciler..} would also
 * match {@code io.javaoperatorsdk.operator.api.reconciler} as a dependency target, and a bare
 * {@code ..api..} would match fabric8's {@code io.fabric8.kubernetes.api}.
 */
class ArchitectureTest {

  private static final String ROOT = "io.homelab.operator";
  private static final String API = ROOT + ".api..";
  private static final String RECONCILER = ROOT + ".reconciler..";
  private static final String MODEL = ROOT + ".model..";
  private static final String DRIVER = ROOT + ".driver..";
  private static final String SANDBOX = ROOT + ".sandbox..";

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // maven-compiler-plugin writes an empty package-info.class for every package-info.java;
            // left in, they would make a package without a single real class look non-empty.
            .withImportOption(location -> !location.contains("/package-info.class"))
            .importPackages(ROOT);
  }

  @Test
  void reconcilersAndModelReallyHaveClassesToCheck() {
    // Without this, the rules on these two layers would pass vacuously if a package were renamed.
    assertThat(classes.stream().filter(resideInAnyPackage(RECONCILER)::test))
        .as("classes in %s", RECONCILER)
        .isNotEmpty();
    assertThat(classes.stream().filter(resideInAnyPackage(MODEL)::test))
        .as("classes in %s", MODEL)
        .isNotEmpty();
  }

  @Test
  void reconcilersAndModelDoNotSpeakHttpOrSsh() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(RECONCILER, MODEL)
            .should()
            .dependOnClassesThat(
                resideInAnyPackage(
                        "java.net.http..",
                        "jakarta.ws.rs..",
                        "org.eclipse.microprofile.rest.client..",
                        "io.vertx.core.http..",
                        "io.vertx.ext.web.client..",
                        "org.apache.sshd..",
                        "com.jcraft..")
                    // assignableTo: HttpsURLConnection and SSLSocket count too.
                    .or(assignableTo(HttpURLConnection.class))
                    .or(assignableTo(Socket.class)))
            .because("controllers and pure code reach external systems only through drivers");
    rule.check(classes);
  }

  @Test
  void driversDoNotDependOnSimulators() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage(DRIVER)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(SANDBOX)
            .because("a driver talks to the real API; the simulators only stand behind it");
    rule.check(classes);
  }

  @Test
  void simulatorsDoNotDependOnDrivers() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage(SANDBOX)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(DRIVER)
            .because("a simulator stands for the real system, which knows nothing of our drivers");
    rule.check(classes);
  }

  @Test
  void apiDependsOnNoLayerAboveIt() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage(API)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(RECONCILER, DRIVER, SANDBOX)
            .because("the API types are what users declare, and nothing else");
    rule.check(classes);
  }

  @Test
  void modelDependsOnNeitherReconcilersNorDrivers() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage(MODEL)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(RECONCILER, DRIVER)
            .because("the model is pure: specs in, desired state out");
    rule.check(classes);
  }
}
