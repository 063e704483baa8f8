package org.salotto.rooms.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.salotto.signaling.protocol.ErrorCode;

/**
 * The room domain knows no JSON, SQL, sockets or media (of the protocol, only the error catalogue's codes), and the
 * runtime no SQL or HTTP server: the build fails when a class reaches for them (issue 10's rule; the Maven modules
 * already keep the layers below from reaching up).
 */
class DomainPurityTest {
    private static final JavaClasses ROOMS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.salotto.rooms");

    @Test
    void theRoomDomainImportsNoJsonNoSqlNoServerAndNoMedia() {
        noClasses().that().resideInAPackage("org.salotto.rooms.domain..")
                .should().dependOnClassesThat(resideInAnyPackage("com.fasterxml..", "java.sql..", "javax.sql..",
                        "org.eclipse.jetty..", "jakarta..", "java.net..", "java.nio.channels..",
                        "org.salotto.signaling..", "org.salotto.media..", "org.salotto.rooms.store.jdbc..",
                        "org.salotto.rooms.runtime..", "org.salotto.rooms.session..", "org.slf4j..")
                        // The error catalogue is the one vocabulary of refusals: the rules name their codes in it.
                        .and(not(equivalentTo(ErrorCode.class))))
                .because("the rules of a room are a pure state machine; adapters carry out what it decides")
                .check(ROOMS);
    }

    @Test
    void theRuntimeWritesNoSqlAndKnowsNoHttpServer() {
        noClasses().that().resideInAnyPackage("org.salotto.rooms.runtime..", "org.salotto.rooms.session..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..",
                        "org.salotto.rooms.store.jdbc..", "org.eclipse.jetty..")
                .because("storage is reached through the Store port, and sockets through the Client port")
                .check(ROOMS);
    }
}
