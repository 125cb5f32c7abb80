package rnnkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The run record the suite commits names no path of the machine that made it. */
class MachinePathsTest {

    @Test
    void javaCommandKeepsFileNamesOnly() {
        String command = "/opt/jdk-17/bin/java --add-modules jdk.incubator.vector -Xmx3g -classpath "
                + "/home/u/rnnkit/target/bench/classes:/home/u/.m2/repository/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar"
                + " rnnkit.bench.BenchmarkSuite --quick=false --reports=/home/u/rnnkit/reports";
        assertThat(BenchmarkSuite.withoutMachinePaths(command)).isEqualTo("java --add-modules jdk.incubator.vector"
                + " -Xmx3g -classpath classes:jmh-core-1.37.jar rnnkit.bench.BenchmarkSuite --quick=false"
                + " --reports=reports");
    }

    @Test
    void aCommandAlreadyInJsonLosesItsPathsToo() {
        assertThat(BenchmarkSuite.withoutMachinePaths("\"javaCommand\" : \"/opt/jdk/bin/java -Xmx3g\""))
                .isEqualTo("\"javaCommand\" : \"java -Xmx3g\"");
    }

    @Test
    void jmhJsonNamesTheJvmWithoutItsFolder() {
        String json = "[{\n  \"jvm\" : \"/usr/lib/jvm/java-17/bin/java\",\n  \"jvmArgs\" : [\"-Xss16m\"]\n}]\n";
        assertThat(BenchmarkSuite.withoutMachinePaths(json))
                .isEqualTo("[{\n  \"jvm\" : \"java\",\n  \"jvmArgs\" : [\"-Xss16m\"]\n}]\n");
    }
}
