package rnnkit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the allocations of some work come from, by Java Flight Recorder's allocation samples: the bytes that are
 * Vector API boxes (a vector object, or the array it holds, allocated inside {@code jdk.incubator.vector} or
 * {@code jdk.internal.vm.vector} code) and the bytes of everything else, with the frames that allocate most.
 *
 * <p>Why: C2 sometimes compiles a method holding Vector API code past its inlining node limit; the Vector API's
 * force-inlined methods are then inlined late, an intrinsic can fail there, and that compiled code boxes a vector
 * on every iteration for as long as the JVM runs, depending on what ran before (the activation blocks' case is
 * avoided by their layout, see VectorActivationBlocks; a rarer one in the GEMM register tiles is not). An allocation test then counts the JIT's boxes, not the code's arrays; these sources tell the two
 * apart in its failure message. (Sampled: a share, not an exact count per step.)
 */
public final class AllocationSources {

    /** Sampled bytes: Vector API boxes, everything else, and the top allocating frames of everything else. */
    public record Split(long vectorBoxBytes, long otherBytes, Map<String, Long> otherTopFrames) {

        public long totalBytes() {
            return vectorBoxBytes + otherBytes;
        }

        /** The share of the sampled bytes that are Vector API boxes (0 when nothing was sampled). */
        public double vectorBoxShare() {
            return totalBytes() == 0 ? 0 : (double) vectorBoxBytes / totalBytes();
        }

        @Override
        public String toString() {
            return String.format("%d sampled bytes: %d Vector API boxes (%.0f%%), %d other%s", totalBytes(),
                    vectorBoxBytes, 100 * vectorBoxShare(), otherBytes,
                    otherTopFrames.isEmpty() ? "" : " (top frames: " + otherTopFrames + ")");
        }
    }

    private AllocationSources() {
    }

    /**
     * Runs {@code work} on this thread under a recording of allocation samples with stack traces; the samples of
     * every thread of the JVM count (work split over worker threads included, and whatever else runs meanwhile).
     */
    public static Split of(Runnable work) {
        Path file = null;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ObjectAllocationSample").withStackTrace().with("throttle", "10000/s");
            recording.start();
            work.run();
            recording.stop();
            file = Files.createTempFile("rnnkit-allocations", ".jfr");
            recording.dump(file);
            return split(RecordingFile.readAllEvents(file));
        } catch (IOException e) {
            throw new IllegalStateException("could not read the allocation recording: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
    }

    static Split split(List<RecordedEvent> events) {
        long boxes = 0;
        long other = 0;
        Map<String, Long> frames = new LinkedHashMap<>();
        Set<Long> seen = new HashSet<>();
        events = events.stream().sorted(Comparator.comparing(RecordedEvent::getStartTime)).toList();
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("jdk.ObjectAllocationSample")) {
                continue;
            }
            // a sample's weight is what its thread allocated since its previous sample: the first one of each
            // thread also carries what the thread allocated before the recording began
            long thread = e.getThread("eventThread") == null ? -1 : e.getThread("eventThread").getJavaThreadId();
            if (seen.add(thread)) {
                continue;
            }
            long weight = e.getLong("weight");
            List<RecordedFrame> stack = e.getStackTrace() == null ? List.of() : e.getStackTrace().getFrames();
            String type = e.getClass("objectClass") == null ? "" : e.getClass("objectClass").getName();
            if (isVectorBox(type, stack)) {
                boxes += weight;
            } else {
                other += weight;
                String top = stack.isEmpty() ? "(no stack)" : frameName(stack.get(0));
                frames.merge(type + " at " + top, weight, Long::sum);
            }
        }
        Map<String, Long> top = frames.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(3).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
                        LinkedHashMap::new));
        return new Split(boxes, other, top);
    }

    /** A vector object, or an array allocated by Vector API code (a vector's lanes). */
    static boolean isVectorBox(String type, List<RecordedFrame> stack) {
        if (type.startsWith("jdk.incubator.vector.")) {
            return true;
        }
        if (!stack.isEmpty() && (type.endsWith("[]") || type.startsWith("["))) {
            String owner = stack.get(0).getMethod().getType().getName();
            return owner.startsWith("jdk.incubator.vector.") || owner.startsWith("jdk.internal.vm.vector.");
        }
        return false;
    }

    private static String frameName(RecordedFrame f) {
        String owner = f.getMethod().getType().getName();
        return owner.substring(owner.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + ":" + f.getLineNumber();
    }
}
