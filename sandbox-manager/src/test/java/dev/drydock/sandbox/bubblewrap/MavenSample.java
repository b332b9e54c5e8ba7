package dev.drydock.sandbox.bubblewrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;

/**
 * A real Maven project with one JUnit 5 test, built with this build's own wrapper (Maven 3.9.9) and
 * only artifacts this build already has in the host's local repository: the JUnit version the tests
 * run on, and the plugin versions the root POM pins.
 */
final class MavenSample {
    static final String BUGGY =
            "package demo;\n\npublic class Calc {\n    public static int add(int a, int b) {\n        return a - b;\n    }\n}\n";

    private MavenSample() {}

    /** Writes the project into {@code dir} and commits it; returns the commit. */
    static String write(Path dir, String dependencyExtra) throws Exception {
        String junit = org.junit.jupiter.api.Test.class.getPackage().getImplementationVersion();
        Path root = repositoryRoot();
        Files.createDirectories(dir.resolve("src/main/java/demo"));
        Files.createDirectories(dir.resolve("src/test/java/demo"));
        Files.createDirectories(dir.resolve(".mvn/wrapper"));
        Files.copy(root.resolve("mvnw"), dir.resolve("mvnw"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(
                root.resolve(".mvn/wrapper/maven-wrapper.properties"),
                dir.resolve(".mvn/wrapper/maven-wrapper.properties"));
        Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>demo</groupId><artifactId>calc</artifactId><version>1</version>
                  <properties><maven.compiler.release>17</maven.compiler.release><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
                  <dependencies>
                    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter-api</artifactId><version>%1$s</version><scope>test</scope></dependency>
                    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter-engine</artifactId><version>%1$s</version><scope>test</scope></dependency>
                    %2$s
                  </dependencies>
                  <build><plugins>
                    <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                    <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version></plugin>
                    <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
                  </plugins></build>
                </project>
                """.formatted(junit, dependencyExtra));
        Files.writeString(dir.resolve("src/main/java/demo/Calc.java"), BUGGY);
        Files.writeString(dir.resolve("src/test/java/demo/CalcTest.java"), """
                package demo;

                import static org.junit.jupiter.api.Assertions.assertEquals;

                import org.junit.jupiter.api.Test;

                class CalcTest {
                    @Test
                    void adds() {
                        assertEquals(5, Calc.add(2, 3));
                    }
                }
                """);
        try (Git git =
                Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            return git.commit()
                    .setMessage("calc with a bug")
                    .setAuthor("t", "t@example.com")
                    .setCommitter("t", "t@example.com")
                    .setSign(false)
                    .call()
                    .name();
        }
    }

    /** The checkout holding this build's {@code mvnw}. */
    static Path repositoryRoot() throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw"))
                    && Files.isRegularFile(p.resolve(".mvn/wrapper/maven-wrapper.properties"))) {
                return p;
            }
        }
        throw new IOException("no mvnw above " + Path.of("").toAbsolutePath());
    }
}
