package rnnkit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the report records about the machine: cores, CPU model, vector width, memory, JDK, OS, and the load when
 * measured.
 */
public final class MachineInfo {
    private MachineInfo() {
    }

    public static Map<String, Object> collect() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", cpuField("model name"));
        String flags = cpuField("flags");
        m.put("vectorExtensions", flags == null ? "unknown" : String.join(" ", List.of(flags.split(" ")).stream()
                .filter(f -> f.equals("avx2") || f.equals("fma") || f.equals("avx512f")).toList()));
        m.put("floatLanes", floatLanes());
        m.put("memory", memTotal());
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("loadAverage", loadAverage());
        return m;
    }

    /** Lanes of the JVM's preferred float vector (the FMA peak loop's width), or 0 without the Vector API. */
    static int floatLanes() {
        try {
            return FmaPeakBenchmark.lanes();
        } catch (LinkageError e) {
            return 0;
        }
    }

    /** The 1/5/15-minute load averages from /proc/loadavg, or "unknown". */
    public static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuField(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int c = line.indexOf(':');
                if (c > 0 && line.substring(0, c).trim().equals(name)) {
                    return line.substring(c + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return null;
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }
}
