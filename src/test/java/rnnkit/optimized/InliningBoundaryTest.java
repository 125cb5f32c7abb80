package rnnkit.optimized;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The Vector API sigmoid and tanh blocks stay above C2's FreqInlineSize, so C2 never inlines them into a caller
 * (see the comment in {@link VectorActivationBlocks}): their bytecode length, read with javap from the class file the
 * tests run, against the running JVM's own FreqInlineSize.
 */
class InliningBoundaryTest {

    @Test
    void sigmoidAndTanhBlocksAreTooBigForC2ToInline() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        int freqInlineSize = Integer.parseInt(hotspot.getVMOption("FreqInlineSize").getValue());
        Map<String, Integer> lengths = bytecodeLengths(VectorActivationBlocks.class);
        String[] guarded = {
            "public void sigmoid(float[], int, float[], int, int);",
            "public void tanh(float[], int, float[], int, int);",
            "public void sigmoid(double[], int, double[], int, int);",
            "public void tanh(double[], int, double[], int, int);",
        };
        for (String method : guarded) {
            System.out.println("[inlining boundary] FreqInlineSize " + freqInlineSize + "; " + method + " "
                    + lengths.get(method) + " bytes");
            assertThat(lengths).as("methods javap lists in VectorActivationBlocks").containsKey(method);
            assertThat(lengths.get(method))
                    .as("bytecode length of VectorActivationBlocks.%s (C2 inlines hot methods up to FreqInlineSize"
                            + " bytes; inlined, this block could push its caller's compile past the inlining node"
                            + " cutoff, and the compiled code then boxed vectors)", method)
                    .isGreaterThan(freqInlineSize);
        }
    }

    /** Method declaration (as javap prints it) to its bytecode length: the last instruction's offset + 1, at least. */
    private static Map<String, Integer> bytecodeLengths(Class<?> type) {
        URL classFile = type.getResource(type.getSimpleName() + ".class");
        assertThat(classFile).as("class file of %s", type.getName()).isNotNull();
        ToolProvider javap = ToolProvider.findFirst("javap")
                .orElseThrow(() -> new AssertionError("javap (module jdk.jdeps) not found: the tests need a full JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = javap.run(new PrintWriter(out), new PrintWriter(err), "-c", "-p", classFile.toString());
        assertThat(status).as("javap exit status; its errors: %s", err).isZero();
        Map<String, Integer> lengths = new LinkedHashMap<>();
        String method = null;
        for (String line : out.toString().split("\\R")) {
            if (line.startsWith("  ") && !line.startsWith("   ")) { // a member (two spaces in): a method has "("
                String member = line.trim().replaceAll(" throws [^(]*;$", ";");
                method = member.endsWith(");") ? member : null;
            } else if (method != null && line.matches("\\s+\\d+: [a-z_][a-z_0-9]*.*")) { // an instruction, not a case
                // label of a tableswitch or lookupswitch ("99162322: 60")
                int offset = Integer.parseInt(line.trim().substring(0, line.trim().indexOf(':')));
                lengths.merge(method, offset + 1, Math::max);
            }
        }
        return lengths;
    }
}
