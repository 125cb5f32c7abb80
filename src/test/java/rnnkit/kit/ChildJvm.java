package rnnkit.kit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the rnnkit command line (or another main class) in a fresh JVM with this build's class path: for limits that
 * only a separate process shows (a heap of -Xmx512m, the working directory, environment variables, kill -9).
 */
final class ChildJvm {
    record Result(int exit, String out, String err, double seconds) {
    }

    private ChildJvm() {
    }

    static List<String> command(String heap, String mainClass, String... args) {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-Xmx" + heap,
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** Runs {@code rnnkit args...} in {@code workDir}; fails the test if it takes longer than {@code limitSeconds}. */
    static Result rnnkit(Path workDir, Map<String, String> env, String heap, long limitSeconds, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(heap, "rnnkit.cli.Main", args)).directory(workDir.toFile());
        pb.environment().remove("RNNKIT_CORPUS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(limitSeconds, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        Result r = new Result(done ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), secs);
        Files.delete(out);
        Files.delete(err);
        if (!done) {
            throw new AssertionError("rnnkit " + String.join(" ", args) + " still running after " + limitSeconds
                    + " s (hung); stdout: " + r.out() + " stderr: " + r.err());
        }
        return r;
    }
}
