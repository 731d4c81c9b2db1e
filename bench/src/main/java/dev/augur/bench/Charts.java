package dev.augur.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** PNG charts (XChart) written beside a benchmark's text result, for README. */
final class Charts {
    private Charts() {
    }

    /** Where a result's chart goes: {@code bench/results/predict.txt} gives {@code bench/results/predict.png}. */
    static Path beside(Path text) {
        return text.resolveSibling(text.getFileName().toString().replaceFirst("\\.txt$", "") + ".png");
    }

    /** One series of bars per entry of {@code series}, over {@code categories}; written to {@code png}. */
    static void bars(Path png, String title, String yAxis, List<String> categories, List<String> seriesNames, List<List<Double>> series)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(800).height(450).title(title).yAxisTitle(yAxis).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setDecimalPattern("#,##0.###");
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (int i = 0; i < seriesNames.size(); i++) {
            chart.addSeries(seriesNames.get(i), categories, series.get(i));
        }
        if (png.toAbsolutePath().getParent() != null) {
            Files.createDirectories(png.toAbsolutePath().getParent());
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
