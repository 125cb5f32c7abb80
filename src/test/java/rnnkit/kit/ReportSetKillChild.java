package rnnkit.kit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child JVM for {@link ReportSetTest}: writes two different report sets into one folder, alternately, until killed.
 * It never outlives its test: it stops by itself after two minutes, or as soon as its parent is gone.
 */
public final class ReportSetKillChild {
    private ReportSetKillChild() {
    }

    static KitReport report(int version, int cases) {
        List<CaseResult> rs = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            rs.add(new CaseResult("suite/case_" + i, "victim", version == 0 ? Outcome.PASS : Outcome.FAIL,
                    version == 0 ? "" : "output differs beyond tolerance in version " + version, List.of(), 0.001));
        }
        return new KitReport("rnnkit conformance: victim", "victim", "synthetic", "all", rs.size(), rs, List.of());
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        KitReport[] reports = {report(0, 1500), report(1, 1500)};
        long deadline = System.nanoTime() + 120_000_000_000L;
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        for (int i = 0; System.nanoTime() < deadline && (parent == null || parent.isAlive()); i++) {
            ReportSet.write(reports[i % 2], dir, "victim", List.of("md", "html", "junit"));
            if (i == 0) {
                System.out.println("ready");
                System.out.flush();
            }
        }
    }
}
