package rnnkit.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Report files are written as one set: fresh temporary names created with CREATE_NEW (a planted symbolic link is
 * never followed), and an order with a manifest such that a folder whose manifest exists always holds exactly that
 * set — checked at every step a write can be stopped at, and with real kill -9 of a child JVM.
 */
class ReportSetTest {
    static final List<String> FORMATS = List.of("md", "html", "junit");
    static final Pattern SET_ID = Pattern.compile("rnnkit[ .-]report[ .-]set\"?(?: content=\"| value=\"| )([0-9a-f]{16})");

    @TempDir
    Path tmp;

    /** The set id each report file carries, or null when the file is absent. */
    static String setIdOf(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        Matcher m = SET_ID.matcher(Files.readString(file, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "(no set id)";
    }

    /**
     * The folder as a reader sees it: null if it holds a trusted set (manifest present and every file of it, each
     * carrying the manifest's id), "no manifest" when a write was stopped between removing and renaming manifests,
     * else what is wrong (a mix the manifest does not describe).
     */
    static String state(Path dir, String base) throws IOException {
        if (!Files.exists(dir.resolve(base + ReportSet.MANIFEST_SUFFIX))) {
            return "no manifest";
        }
        try {
            Map<String, String> files = ReportSet.read(dir, base);
            String id = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(dir.resolve(base + ReportSet.MANIFEST_SUFFIX).toFile()).path("report_set").asText();
            for (String f : files.keySet()) {
                if (!id.equals(setIdOf(dir.resolve(f)))) {
                    return f + " carries set " + setIdOf(dir.resolve(f)) + ", the manifest " + id;
                }
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Test
    void aWriteStoppedAfterAnyStepLeavesTheOldSetTheNewSetOrNoManifest() throws IOException {
        KitReport oldReport = ReportSetKillChild.report(0, 20);
        KitReport newReport = ReportSetKillChild.report(1, 20);
        List<String> steps = new ArrayList<>();
        ReportSet.write(newReport, tmp.resolve("probe"), "victim", FORMATS, steps::add);
        assertThat(steps).contains("old manifest removed", "manifest renamed");
        for (int stop = 0; stop < steps.size(); stop++) {
            Path dir = tmp.resolve("stop" + stop);
            ReportSet.write(oldReport, dir, "victim", FORMATS);
            String oldId = ReportSet.setId(oldReport, List.of("md", "html", "junit"));
            int k = stop;
            int[] n = {0};
            assertThatThrownBy(() -> ReportSet.write(newReport, dir, "victim", FORMATS, s -> {
                if (n[0]++ == k) {
                    throw new StoppedHere();
                }
            })).isInstanceOf(StoppedHere.class);
            String state = state(dir, "victim");
            boolean manifestWindow = stop >= steps.indexOf("old manifest removed") && stop < steps.indexOf("manifest renamed");
            assertThat(state).as("stopped after '%s'", steps.get(stop)).isEqualTo(manifestWindow ? "no manifest" : null);
            if (stop < steps.indexOf("old manifest removed")) {
                assertThat(setIdOf(dir.resolve("victim.md"))).isEqualTo(oldId);
            }
        }
        // a later write completes the set whatever was left
        Path dir = tmp.resolve("stop" + steps.indexOf("old manifest removed"));
        ReportSet.write(newReport, dir, "victim", FORMATS);
        assertThat(state(dir, "victim")).isNull();
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(f -> f.endsWith(".tmp"));
        }
    }

    static final class StoppedHere extends Error {
        StoppedHere() {
            super("write stopped here, as by kill -9");
        }
    }

    @Test
    void plantedSymbolicLinksAreNeverFollowed() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path dir = Files.createDirectories(tmp.resolve("reports"));
        List<Path> victims = new ArrayList<>();
        // the temporary name the writer used before, the report names and the manifest name
        for (String name : List.of(".victim.md.tmp", ".victim.html.tmp", "victim.md", "victim.xml", "victim.report.json")) {
            Path v = Files.writeString(outside.resolve(name.replace('.', '_')), "do not touch " + name);
            Files.createSymbolicLink(dir.resolve(name), v);
            victims.add(v);
        }
        ReportSet.write(ReportSetKillChild.report(1, 20), dir, "victim", FORMATS);
        for (Path v : victims) {
            assertThat(Files.readString(v)).startsWith("do not touch");
        }
        assertThat(Files.isRegularFile(dir.resolve("victim.md"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(state(dir, "victim")).isNull();
    }

    @Test
    void aBaseNameThatIsNotAPlainFileNameIsRefusedAndNothingIsWrittenOutsideTheFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("a/b/reports"));
        for (String name : new String[] {"../../escaped", "sub/x", "/abs", ""}) {
            assertThatThrownBy(() -> ReportSet.write(ReportSetKillChild.report(1, 3), dir, name, FORMATS))
                    .as(name).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain file name");
            assertThatThrownBy(() -> ReportSet.checkWritable(dir, name, FORMATS)).as(name)
                    .hasMessageContaining("not a plain file name");
        }
        try (var s = Files.walk(tmp)) {
            assertThat(s.filter(Files::isRegularFile)).as("files written").isEmpty();
        }
    }

    @Test
    void formatsNotWrittenAreRemovedSoNoOlderFileStandsBesideTheNewSet() throws IOException {
        ReportSet.write(ReportSetKillChild.report(0, 20), tmp, "victim", FORMATS);
        ReportSet.write(ReportSetKillChild.report(1, 20), tmp, "victim", List.of("md"));
        assertThat(Files.exists(tmp.resolve("victim.html"))).isFalse();
        assertThat(Files.exists(tmp.resolve("victim.xml"))).isFalse();
        assertThat(ReportSet.read(tmp, "victim")).containsOnlyKeys("victim.md");
    }

    @Test
    void killMinusNineAtRandomMomentsNeverLeavesAMixTheManifestVouchesFor() throws Exception {
        Path dir = tmp.resolve("killed");
        SplittableRandom random = new SplittableRandom(40);
        int kills = 6;
        int noManifest = 0;
        for (int k = 0; k < kills; k++) {
            Process p = new ProcessBuilder(ChildJvm.command("256m", ReportSetKillChild.class.getName(), dir.toString()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(r.readLine()).isEqualTo("ready");
                Thread.sleep(random.nextInt(2, 60));
            } finally {
                p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks; also when the child never got ready
                p.waitFor();
            }
            String state = state(dir, "victim");
            if ("no manifest".equals(state)) {
                noManifest++;
            } else {
                assertThat(state).as("after kill %d", k).isNull();
            }
        }
        System.out.println("ReportSetTest: " + kills + " kills, " + noManifest + " stopped between the two manifest steps");
        assertThat(noManifest).as("kills that landed in the manifest window").isLessThan(kills);
    }
}
