package rnnkit.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** The report's charts, drawn by XChart as PNG files. */
final class Charts {
    private final Path dir;

    Charts(Path dir) {
        this.dir = dir;
    }

    static String headlineFile(String shape) {
        return "headline-" + shape + ".png";
    }

    static String growthFile(String sweep, String what) {
        return "growth-" + sweep + "-" + what + ".png";
    }

    /** Per headline shape: GFLOP/s per cell, one bar per contestant/variant. */
    void headline(ReportGenerator g) throws IOException {
        String all = g.allThreads();
        for (String shape : g.headlineShapes()) {
            CategoryChart c = new CategoryChartBuilder().width(900).height(420)
                    .title("GFLOP/s, shape " + shape + " (BxTxDxH)").xAxisTitle("cell").yAxisTitle("GFLOP/s").build();
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            c.getStyler().setAvailableSpaceFill(0.8);
            String[][] series = {
                {"optimized fwd f32 " + all + "t", "optimized", "forward", "float32", all},
                {"optimized fwd f32 1t", "optimized", "forward", "float32", "1"},
                {"optimized fwd+bwd f32 " + all + "t", "optimized", "forward+backward", "float32", all},
                {"optimized fwd f64 " + all + "t", "optimized", "forward", "float64", all},
                {"ONNX Runtime fwd f32 " + all + "t", "onnxruntime", "forward", "float32", all},
                {"ONNX Runtime fwd f32 1t", "onnxruntime", "forward", "float32", "1"},
                {"reference fwd f64 1t", "reference", "forward", null, null},
            };
            int added = 0;
            for (String[] s : series) {
                List<Double> y = new ArrayList<>();
                boolean any = false;
                for (String cell : SuitePlan.CELLS) {
                    Optional<ReportGenerator.Result> r = find(g, s[1], s[2], cell, shape, s[3], s[4]);
                    y.add(r.map(ReportGenerator.Result::gflops).orElse(0.0));
                    any |= r.isPresent();
                }
                if (any) {
                    c.addSeries(s[0], SuitePlan.CELLS, y);
                    added++;
                }
            }
            if (added == 0) {
                c.addSeries("no results", List.of("none"), List.of(0.0));
            }
            BitmapEncoder.saveBitmap(c, dir.resolve(headlineFile(shape)).toString(), BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** Time per call and GFLOP/s against the swept dimension, optimized and ONNX Runtime (log-log for time). */
    void growth(ReportGenerator g, String sweep, List<String> shapes, int axis) throws IOException {
        String all = g.allThreads();
        XYChart time = new XYChartBuilder().width(640).height(400).title("LSTM forward time per call vs " + sweep)
                .xAxisTitle(sweep).yAxisTitle("ms per call").build();
        time.getStyler().setXAxisLogarithmic(true);
        time.getStyler().setYAxisLogarithmic(true);
        XYChart gf = new XYChartBuilder().width(640).height(400).title("LSTM forward GFLOP/s vs " + sweep)
                .xAxisTitle(sweep).yAxisTitle("GFLOP/s").build();
        gf.getStyler().setXAxisLogarithmic(true);
        for (String[] s : new String[][] {{"optimized", "optimized f32 " + all + "t"},
                                          {"onnxruntime", "ONNX Runtime f32 " + all + "t"}}) {
            List<Double> x = new ArrayList<>();
            List<Double> t = new ArrayList<>();
            List<Double> f = new ArrayList<>();
            for (String shape : shapes) {
                Optional<ReportGenerator.Result> r = find(g, s[0], "forward", "lstm", shape, "float32", all);
                if (r.isPresent()) {
                    x.add((double) Workload.parseShape(shape)[axis]);
                    t.add(r.get().ms());
                    f.add(r.get().gflops());
                }
            }
            if (!x.isEmpty()) {
                time.addSeries(s[1], x, t);
                gf.addSeries(s[1], x, f);
            }
        }
        for (XYChart c : List.of(time, gf)) {
            if (c.getSeriesMap().isEmpty()) {
                c.getStyler().setXAxisLogarithmic(false);
                c.getStyler().setYAxisLogarithmic(false);
                c.addSeries("no results", new double[] {1}, new double[] {1});
            }
        }
        BitmapEncoder.saveBitmap(time, dir.resolve(growthFile(sweep, "time")).toString(), BitmapEncoder.BitmapFormat.PNG);
        BitmapEncoder.saveBitmap(gf, dir.resolve(growthFile(sweep, "gflops")).toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static Optional<ReportGenerator.Result> find(ReportGenerator g, String contestant, String phase, String cell,
                                                         String shape, String dtype, String threads) {
        for (ReportGenerator.Result r : g.results()) {
            if (r.contestant().equals(contestant) && r.phase().equals(phase) && cell.equals(r.cell())
                    && shape.equals(r.shape()) && (dtype == null || r.dtype().equals(dtype))
                    && (threads == null || String.valueOf(r.threads()).equals(threads))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
