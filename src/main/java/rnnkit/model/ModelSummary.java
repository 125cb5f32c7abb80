package rnnkit.model;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code model.summary()} of a Sequential model, character for character as Keras 3.15.1 prints it
 * ({@code keras/src/utils/summary_utils.py}): a {@code rich} table with a heavy header, one row per layer ("name
 * (Class)", output shape with {@code None} for the batch and any unknown time length, parameter count), then the
 * totals with their size in memory.
 *
 * <p>Column widths follow Keras and rich: Keras asks for columns at 45%, 80% and 100% of the line length; rich adds
 * one space of padding on each side, and the table (two edges and two separators) must fit the line, so rich takes
 * the 10 surplus characters back from the three columns with its {@code ratio_reduce} (Python's round half to even).
 * A cell too long for its column wraps at spaces; a word longer than the column is cut with "…". Header cells are
 * bottom-aligned, body cells top-aligned. Sizes are {@code params × bytes} shown in B, KB, MB, ... (1024) with two
 * decimals, rounded as Python's {@code "{:.2f}"} rounds the binary value (half to even).
 *
 * <p>Keras's default line length is 88 in a terminal of at least 92 columns ({@code min(88, columns - 4)}).
 * One difference is deliberate: Keras's shape inference gives a Dense with glu {@code units} outputs; rnnkit prints
 * the real width, {@code units / 2}.
 */
public final class ModelSummary {
    /** Keras's line length for a sequential model in a wide terminal. */
    public static final int DEFAULT_LINE_LENGTH = 88;

    private static final double[] POSITIONS = {0.45, 0.80, 1.0};
    private static final String[] HEADER = {"Layer (type)", "Output Shape", "Param #"};
    private static final boolean[] RIGHT_ALIGNED = {false, false, true};
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};

    private ModelSummary() {
    }

    /** The summary text, ending with a newline, for weights stored in {@code dtype}. */
    public static String render(SequentialSpec model, DType dtype, int lineLength) {
        if (lineLength < 20) {
            throw new IllegalArgumentException("summary line length is " + lineLength + "; expected at least 20");
        }
        int[] widths = columnWidths(lineLength);
        List<String[]> rows = new ArrayList<>();
        long total = 0;
        List<String> names = model.names();
        boolean sequence = true;
        for (int i = 0; i < model.layers().size(); i++) {
            LayerSpec layer = model.layers().get(i);
            int inputDim = model.layerInputDim(i);
            sequence = SequentialSpec.returnsSequence(layer, sequence);
            long params = layer.parameterCount(inputDim);
            total += params;
            String time = model.inputTime() > 0 ? Integer.toString(model.inputTime()) : "None";
            String width = Integer.toString(layer.outputDim(inputDim));
            String shape = sequence ? "(None, " + time + ", " + width + ")" : "(None, " + width + ")";
            rows.add(new String[] {names.get(i) + " (" + model.layerClass(i) + ")", shape,
                String.format(Locale.ROOT, "%,d", params)});
        }
        StringBuilder out = new StringBuilder();
        out.append("Model: \"").append(model.name()).append("\"\n");
        out.append(rule('┏', '━', '┳', '┓', widths));
        appendRow(out, HEADER, widths, '┃', true);
        out.append(rule('┡', '━', '╇', '┩', widths));
        for (int r = 0; r < rows.size(); r++) {
            if (r > 0) {
                out.append(rule('├', '─', '┼', '┤', widths));
            }
            appendRow(out, rows.get(r), widths, '│', false);
        }
        out.append(rule('└', '─', '┴', '┘', widths));
        long bytes = total * (dtype == DType.FLOAT32 ? 4 : 8);
        String count = String.format(Locale.ROOT, "%,d", total);
        out.append(" Total params: ").append(count).append(" (").append(readableSize(bytes)).append(")\n");
        out.append(" Trainable params: ").append(count).append(" (").append(readableSize(bytes)).append(")\n");
        out.append(" Non-trainable params: 0 (0.00 B)\n");
        return out.toString();
    }

    /** Column widths including padding: Keras's request, reduced by rich until the table fits the line. */
    static int[] columnWidths(int lineLength) {
        int[] widths = new int[POSITIONS.length];
        int current = 0;
        for (int i = 0; i < widths.length; i++) {
            int w = (int) (POSITIONS[i] * lineLength) - current;
            widths[i] = w + 2;
            current += w;
        }
        int available = lineLength - (widths.length + 1);
        int sum = 0;
        for (int w : widths) {
            sum += w;
        }
        if (sum > available) {
            // rich ratio_reduce(excess, ratios [1, 1, 1], maximums = values = widths)
            int remaining = sum - available;
            int ratioLeft = widths.length;
            for (int i = 0; i < widths.length; i++) {
                int distributed = (int) Math.min(widths[i], Math.rint((double) remaining / ratioLeft));
                widths[i] -= distributed;
                remaining -= distributed;
                ratioLeft--;
            }
        }
        return widths;
    }

    private static String rule(char left, char fill, char cross, char right, int[] widths) {
        StringBuilder sb = new StringBuilder().append(left);
        for (int i = 0; i < widths.length; i++) {
            sb.append(String.valueOf(fill).repeat(widths[i])).append(i + 1 < widths.length ? cross : right);
        }
        return sb.append('\n').toString();
    }

    private static void appendRow(StringBuilder out, String[] cells, int[] widths, char bar, boolean bottomAligned) {
        List<List<String>> wrapped = new ArrayList<>();
        int height = 1;
        for (int i = 0; i < cells.length; i++) {
            List<String> lines = wrap(cells[i], widths[i] - 2);
            wrapped.add(lines);
            height = Math.max(height, lines.size());
        }
        for (int line = 0; line < height; line++) {
            out.append(bar);
            for (int i = 0; i < cells.length; i++) {
                List<String> lines = wrapped.get(i);
                int first = bottomAligned ? height - lines.size() : 0;
                int k = line - first;
                String text = k >= 0 && k < lines.size() ? lines.get(k) : "";
                String pad = " ".repeat(widths[i] - 2 - text.length());
                out.append(' ').append(RIGHT_ALIGNED[i] ? pad + text : text + pad).append(' ').append(bar);
            }
            out.append('\n');
        }
    }

    /** rich's word wrap with overflow "ellipsis": greedy at spaces, a word longer than the width cut with "…". */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() <= width) {
                line.append(' ').append(word);
            } else {
                if (line.length() > 0) {
                    lines.add(line.toString());
                }
                line = new StringBuilder(word);
            }
        }
        lines.add(line.toString());
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(l.length() <= width ? l : l.substring(0, Math.max(0, width - 1)) + "…");
        }
        return out;
    }

    /** Keras readable_memory_size: divide by 1024 until below 1024, two decimals (Python rounds half to even). */
    static String readableSize(long bytes) {
        double size = bytes;
        for (String unit : UNITS) {
            if (size / 1024 < 1) {
                return twoDecimals(size) + " " + unit;
            }
            size /= 1024;
        }
        return twoDecimals(size) + " " + UNITS[UNITS.length - 1];
    }

    private static String twoDecimals(double v) {
        return new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
