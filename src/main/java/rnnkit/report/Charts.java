package rnnkit.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Report charts drawn with XChart, as PNG bytes that depend only on the data: the same data give the same bytes
 * (committed reports are regenerated and compared). The JVM is kept headless; the PNG is written without time or
 * other metadata chunks (checked: {@link #pngChunks}), with fixed fonts, sizes and colours.
 */
public final class Charts {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Colours of the outcome kinds, the same in every chart and in the HTML tables. */
    public static final Color PASS = new Color(0x2e7d32);
    public static final Color FAIL = new Color(0xc62828);
    public static final Color SKIPPED = new Color(0x9e9e9e);
    public static final Color EXPECTED = new Color(0xef6c00);
    public static final Color ERROR = new Color(0x6a1b9a);

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private Charts() {
    }

    /** One series of points (x, y), or of values per category (x ignored). */
    public record Series(String name, Color color, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + " has " + x.length + " x and " + y.length + " y values");
            }
        }
    }

    private static <T extends Chart<?, ?>> byte[] png(T chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart '" + chart.getTitle() + "': " + e.getMessage(), e);
        }
    }

    private static void style(Styler s) {
        s.setChartTitleFont(TITLE);
        s.setLegendFont(LABEL);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setAntiAlias(true);
    }

    /**
     * Points per group on a shared axis: group {@code g} is the band around x = g (tick label: its name), each
     * series' points placed in it by the caller; a dashed line at {@code referenceY} (e.g. 1 = the tolerance).
     */
    public static byte[] groupedPoints(String title, String yTitle, List<String> groups, List<Series> series,
                                       boolean logY, double referenceY, String referenceName) {
        XYChart c = new XYChartBuilder().width(Math.max(720, 60 * groups.size() + 260)).height(420).title(title)
                .xAxisTitle("").yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setMarkerSize(5);
        c.getStyler().setAxisTickLabelsFont(LABEL);
        c.getStyler().setXAxisMin(-0.5);
        c.getStyler().setXAxisMax(groups.size() - 0.5);
        c.getStyler().setXAxisTicksVisible(false);
        // group names written into the plot at its bottom (alternating heights, so long names do not collide), and
        // a line between neighbouring groups
        double low = Double.POSITIVE_INFINITY;
        for (Series s : series) {
            for (double y : s.y()) {
                low = Math.min(low, y);
            }
        }
        if (!Double.isFinite(low)) {
            low = logY ? 1e-3 : 0;
        }
        double bottom = logY ? low / 30 : low - 1;
        c.getStyler().setYAxisMin(bottom);
        for (int g = 0; g < groups.size(); g++) {
            double y = logY ? bottom * (g % 2 == 0 ? 2.2 : 6) : bottom + (g % 2 == 0 ? 0.2 : 0.5);
            c.addAnnotation(new AnnotationText(groups.get(g), g, y, false));
            if (g > 0) {
                c.addAnnotation(new AnnotationLine(g - 0.5, true, false));
            }
        }
        boolean any = false;
        for (Series s : series) {
            if (s.x().length == 0) {
                continue;
            }
            XYSeries xs = c.addSeries(s.name(), s.x(), s.y());
            xs.setMarkerColor(s.color());
            xs.setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        if (!Double.isNaN(referenceY)) {
            XYSeries ref = c.addSeries(referenceName, new double[] {-0.5, groups.size() - 0.5},
                    new double[] {referenceY, referenceY});
            ref.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            ref.setLineColor(Color.DARK_GRAY);
            ref.setMarker(SeriesMarkers.NONE);
        } else if (!any) {
            c.addSeries("no data", new double[] {0}, new double[] {1});
        }
        return png(c);
    }

    /** Stacked bars: one bar per category, one stack segment per series (y = count per category). */
    public static byte[] stackedBars(String title, String yTitle, List<String> categories, List<Series> series) {
        CategoryChart c = new CategoryChartBuilder().width(Math.max(720, 45 * categories.size() + 260)).height(420)
                .title(title).xAxisTitle("").yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setStacked(true);
        c.getStyler().setAxisTickLabelsFont(LABEL);
        c.getStyler().setXAxisLabelRotation(45);
        c.getStyler().setOverlapped(false);
        c.getStyler().setYAxisDecimalPattern("#");
        boolean any = false;
        for (Series s : series) {
            double total = 0;
            List<Double> ys = new ArrayList<>();
            for (double y : s.y()) {
                ys.add(y);
                total += y;
            }
            if (total == 0) {
                continue;
            }
            c.addSeries(s.name(), categories, ys).setFillColor(s.color());
            any = true;
        }
        if (!any) {
            List<Double> zeros = new ArrayList<>();
            categories.forEach(x -> zeros.add(0.0));
            c.addSeries("no data", categories.isEmpty() ? List.of("none") : categories, categories.isEmpty() ? List.of(0.0) : zeros);
        }
        return png(c);
    }

    /**
     * A heat map: {@code values[row][column]} (NaN: no data, left blank) coloured from {@code min} (red) to
     * {@code max} (green), with the value written in each cell.
     */
    public static byte[] heatMap(String title, List<String> columns, List<String> rows, double[][] values, double min,
                                 double max, String valuePattern) {
        HeatMapChart c = new HeatMapChartBuilder().width(Math.max(720, 70 * columns.size() + 320))
                .height(Math.max(360, 18 * rows.size() + 160)).title(title).build();
        style(c.getStyler());
        c.getStyler().setAxisTickLabelsFont(LABEL);
        c.getStyler().setXAxisLabelRotation(30);
        c.getStyler().setShowValue(true);
        c.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        c.getStyler().setMin(min);
        c.getStyler().setMax(max);
        c.getStyler().setRangeColors(new Color[] {FAIL, new Color(0xfff59d), PASS});
        c.getStyler().setHeatMapValueDecimalPattern(valuePattern);
        c.getStyler().setLegendVisible(true);
        List<Number[]> data = new ArrayList<>();
        // rows from the top: XChart's y axis grows upwards, so the first row gets the largest index
        List<String> ys = new ArrayList<>(rows);
        java.util.Collections.reverse(ys);
        for (int r = 0; r < rows.size(); r++) {
            for (int k = 0; k < columns.size(); k++) {
                if (!Double.isNaN(values[r][k])) {
                    data.add(new Number[] {k, rows.size() - 1 - r, values[r][k]});
                }
            }
        }
        c.addSeries("share passing", columns.isEmpty() ? List.of("none") : columns, ys.isEmpty() ? List.of("none") : ys, data);
        return png(c);
    }

    /** Lines of y against x (e.g. error ÷ tolerance per time step), optionally log y, with a reference line. */
    public static byte[] lines(String title, String xTitle, String yTitle, List<Series> series, boolean logY,
                               double referenceY, String referenceName) {
        XYChart c = new XYChartBuilder().width(900).height(420).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setAxisTickLabelsFont(LABEL);
        c.getStyler().setMarkerSize(0);
        double xmax = 1;
        for (Series s : series) {
            XYSeries xs = c.addSeries(s.name(), s.x(), s.y());
            xs.setMarker(SeriesMarkers.NONE);
            if (s.color() != null) {
                xs.setLineColor(s.color());
            }
            for (double x : s.x()) {
                xmax = Math.max(xmax, x);
            }
        }
        if (!Double.isNaN(referenceY)) {
            XYSeries ref = c.addSeries(referenceName, new double[] {0, xmax}, new double[] {referenceY, referenceY});
            ref.setLineColor(Color.DARK_GRAY);
            ref.setMarker(SeriesMarkers.NONE);
        }
        return png(c);
    }

    /**
     * Lines of y against x that may coincide (e.g. the loss of Keras and of two replays that agree to 1e-8): each
     * series drawn thinner than the one before and with its own marker, so a curve lying on another stays visible;
     * optionally log y. A series' colour, when null, is XChart's next default colour.
     */
    public static byte[] overlaidLines(String title, String xTitle, String yTitle, List<Series> series, boolean logY) {
        XYChart c = new XYChartBuilder().width(900).height(420).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setAxisTickLabelsFont(LABEL);
        org.knowm.xchart.style.markers.Marker[] markers = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND,
            SeriesMarkers.CROSS, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};
        boolean any = false;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            if (s.x().length == 0) {
                continue; // nothing to draw (the legend would name a line that is not there)
            }
            any = true;
            XYSeries xs = c.addSeries(s.name(), s.x(), s.y());
            xs.setMarker(markers[i % markers.length]);
            xs.setLineWidth(Math.max(1f, 5f - 1.2f * i));
            if (s.color() != null) {
                xs.setLineColor(s.color());
                xs.setMarkerColor(s.color());
            }
        }
        if (!any) {
            c.addSeries("no data", new double[] {0}, new double[] {1});
        }
        return png(c);
    }

    /**
     * The chunk types of a PNG in order (e.g. IHDR, IDAT, IEND), each checked against its CRC: what the encoder
     * writes, so a test can show that no time stamp (tIME) or text chunk makes two renderings differ.
     */
    public static List<String> pngChunks(byte[] png) {
        List<String> types = new ArrayList<>();
        int p = 8;
        while (p + 12 <= png.length) {
            int len = ((png[p] & 0xff) << 24) | ((png[p + 1] & 0xff) << 16) | ((png[p + 2] & 0xff) << 8) | (png[p + 3] & 0xff);
            String type = new String(png, p + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            CRC32 crc = new CRC32();
            crc.update(png, p + 4, 4 + len);
            int stored = ((png[p + 8 + len] & 0xff) << 24) | ((png[p + 9 + len] & 0xff) << 16)
                    | ((png[p + 10 + len] & 0xff) << 8) | (png[p + 11 + len] & 0xff);
            if ((int) crc.getValue() != stored) {
                throw new IllegalArgumentException("PNG chunk " + type + " has a bad CRC");
            }
            types.add(type);
            p += 12 + len;
        }
        return types;
    }
}
