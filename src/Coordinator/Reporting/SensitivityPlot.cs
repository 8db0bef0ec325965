using System.Globalization;
using QuantCluster.Quantization;
using ScottPlot;

namespace QuantCluster.Coordinator.Reporting;

/// <summary>Draws the per-layer sensitivity of report.json as a PNG: SQNR per layer above, the two accuracies per layer below.</summary>
public static class SensitivityPlot
{
    public const string FileName = "sensitivity.png";

    /// <summary>Its key in the report's files, which report.md links the picture from.</summary>
    public const string FilesKey = "sensitivity_plot";

    /// <summary>Pixels; wide enough for MobileNet-tiny's nine layer names under their bars.</summary>
    public const int Width = 900;
    public const int Height = 700;

    private const double BarWidth = 0.8;

    /// <summary>
    /// Writes the plot into folder atomically, as the other outputs, and returns the report with it among its files, so
    /// that report.md links it; a report without sensitivity figures comes back unchanged and no file is written.
    /// </summary>
    public static JobReport Write(string folder, JobReport report)
    {
        if (report.Sensitivity.Layers.Count == 0) return report;
        AtomicFile.WriteAllBytes(Path.Combine(folder, FileName), Render(report.Sensitivity));
        return report with { Files = new Dictionary<string, string>(report.Files) { [FilesKey] = FileName } };
    }

    /// <summary>The PNG bytes; throws for an empty set, which has nothing to draw (the writer skips the file then).</summary>
    public static byte[] Render(SensitivityFigures sensitivity)
    {
        var layers = sensitivity.Layers;
        if (layers.Count == 0) throw new ArgumentException("no layers to plot", nameof(sensitivity));
        var c = CultureInfo.InvariantCulture;
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var sqnr = multiplot.GetPlot(0);
        var accuracy = multiplot.GetPlot(1);

        // A layer whose output quantization left unchanged has no SQNR (no noise): no bar, a label saying so.
        var sqnrBars = sqnr.Add.Bars(layers.Select((l, i) => new Bar
        {
            Position = i,
            Value = l.SqnrDb ?? 0,
            Size = BarWidth,
            Label = l.SqnrDb is double db ? db.ToString("0.0", c) : "no noise",
            FillColor = Colors.SteelBlue,
        }).ToArray());
        sqnrBars.ValueLabelStyle.FontSize = 14;
        sqnr.Title("Per-layer sensitivity: the layer alone quantized, against FP32");
        sqnr.YLabel("SQNR (dB, higher is better)");
        LabelLayers(sqnr, layers.Select(l => l.Layer));
        sqnr.Axes.Margins(bottom: 0, top: 0.2);

        // Each layer's two accuracies side by side: only it in INT8 (what it costs), all but it (what FP32 would recover).
        // Markers on an axis fitted to the figures, not bars from zero: the differences that matter are tenths of a point.
        AddAccuracies(accuracy, layers.Select(l => l.AccuracyOnlyThisQuantized).ToArray(), -0.2, Colors.DarkOrange, "only this layer INT8");
        AddAccuracies(accuracy, layers.Select(l => l.AccuracyAllButThisQuantized).ToArray(), 0, Colors.SeaGreen, "all but this layer INT8");
        AddAccuracies(accuracy, layers.Select(l => l.AccuracyLeftInFp32).ToArray(), 0.2, Colors.Purple, "only this layer's weights FP32 (fallback)");
        accuracy.YLabel(string.Create(c, $"test accuracy (%, {sensitivity.Samples} samples)"));
        LabelLayers(accuracy, layers.Select(l => l.Layer));
        var percents = layers.SelectMany(l => new[] { l.AccuracyOnlyThisQuantized, l.AccuracyAllButThisQuantized, l.AccuracyLeftInFp32 }).Select(a => a * 100).ToArray();
        double pad = Math.Max(0.5, 0.15 * (percents.Max() - percents.Min()));
        accuracy.Axes.SetLimitsY(percents.Min() - pad, percents.Max() + pad);
        accuracy.ShowLegend(Edge.Bottom);

        using var image = multiplot.Render(Width, Height);
        return image.GetImageBytes(ImageFormat.Png, 100);
    }

    private static void AddAccuracies(Plot plot, double[] fractions, double offset, Color color, string legend)
    {
        var xs = fractions.Select((_, i) => i + offset).ToArray();
        var percents = fractions.Select(f => f * 100).ToArray();
        var markers = plot.Add.Markers(xs, percents, MarkerShape.FilledCircle, 12, color);
        markers.LegendText = legend;
        for (int i = 0; i < xs.Length; i++)
        {
            var label = plot.Add.Text(percents[i].ToString("0.00", CultureInfo.InvariantCulture), xs[i], percents[i]);
            label.Alignment = Alignment.LowerCenter;
            label.OffsetY = -8;
            label.LabelStyle.FontSize = 13;
        }
    }

    private static void LabelLayers(Plot plot, IEnumerable<string> names)
    {
        var labels = names.ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(0, labels.Length).Select(i => (double)i)], labels);
        plot.Axes.SetLimitsX(-0.5, labels.Length - 0.5);
    }
}
