package rnnkit.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Committed reports and documents name no path of the machine that runs this test: its JDK's folder, the user's home,
 * the project's own folder, or a Maven local repository. A report made here and committed would carry them. Example
 * commands may use {@code /tmp}: that is the reader's machine, not ours.
 */
class NoMachinePathsTest {

    private static final Pattern MACHINE_PATH = machinePaths();

    private static Pattern machinePaths() {
        List<String> alternatives = new ArrayList<>();
        alternatives.add(Pattern.quote("/.m2/repository"));
        Path jdkFolder = Path.of(System.getProperty("java.home")).toAbsolutePath().getParent();
        List<Path> roots = new ArrayList<>(List.of(Path.of(System.getProperty("user.home")).toAbsolutePath(),
                Path.of("").toAbsolutePath()));
        if (jdkFolder != null) {
            roots.add(jdkFolder);
        }
        for (Path root : roots) {
            if (root.getNameCount() > 0) { // never "/" alone
                alternatives.add(Pattern.quote(root + "/"));
            }
        }
        return Pattern.compile(String.join("|", alternatives));
    }

    @Test
    void reportsAndDocumentsNameNoMachinePath() throws IOException {
        List<String> found = new ArrayList<>();
        int scanned = 0;
        for (String root : List.of("reports", "docs", "bench", "examples", "golden", "README.md")) {
            Path top = Path.of(root);
            if (!Files.exists(top)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(top)) {
                for (Path f : files.filter(Files::isRegularFile).filter(NoMachinePathsTest::isText).toList()) {
                    if (f.toString().contains("/target/") || f.toString().contains("/.work/")) {
                        continue;
                    }
                    scanned++;
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    Matcher m = MACHINE_PATH.matcher(text);
                    if (m.find()) {
                        int line = text.substring(0, m.start()).split("\n", -1).length;
                        found.add(f + ":" + line + ": " + m.group());
                    }
                }
            }
        }
        System.out.println("[NoMachinePathsTest] " + scanned + " committed text files scanned");
        assertThat(scanned).as("text files scanned").isGreaterThan(50);
        assertThat(found).as("machine-local paths").isEmpty();
    }

    private static boolean isText(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".md") || n.endsWith(".html") || n.endsWith(".json") || n.endsWith(".txt")
                || n.endsWith(".py") || n.endsWith(".xml");
    }
}
