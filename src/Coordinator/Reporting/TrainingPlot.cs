using QuantCluster.Coordinator.Jobs;
using QuantCluster.Quantization;
using ScottPlot;

namespace QuantCluster.Coordinator.Reporting;

/// <summary>Draws the report's epochs as a PNG: training loss above, training accuracy below, one line per phase (FP32, QAT) on one epoch axis.</summary>
public static class TrainingPlot
{
    public const string FileName = "training.png";

    /// <summary>Its key in the report's files, which report.md links the picture from.</summary>
    public const string FilesKey = "training_plot";

    public const int Width = 900;
    public const int Height = 600;

    /// <summary>
    /// Writes the plot into folder atomically and returns the report with it among its files; a report without epochs
    /// (weights loaded, PTQ only) comes back unchanged and no file is written.
    /// </summary>
    public static JobReport Write(string folder, JobReport report)
    {
        if (report.Epochs.Count == 0) return report;
        AtomicFile.WriteAllBytes(Path.Combine(folder, FileName), Render(report.Epochs));
        return report with { Files = new Dictionary<string, string>(report.Files) { [FilesKey] = FileName } };
    }

    /// <summary>The PNG bytes; throws for no epochs, which has nothing to draw.</summary>
    public static byte[] Render(IReadOnlyList<EpochRecord> epochs)
    {
        if (epochs.Count == 0) throw new ArgumentException("no epochs to plot", nameof(epochs));
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var loss = multiplot.GetPlot(0);
        var accuracy = multiplot.GetPlot(1);
        // Phases follow each other (FP32, then QAT), so epochs are numbered across the job: QAT continues where FP32 ended.
        int offset = 0;
        var palette = new[] { Colors.SteelBlue, Colors.DarkOrange, Colors.SeaGreen };
        foreach (var (phase, index) in epochs.Select(e => e.Phase).Distinct().Select((p, i) => (p, i)))
        {
            var own = epochs.Where(e => e.Phase == phase).ToArray();
            double[] xs = [.. own.Select((_, i) => (double)(offset + i + 1))];
            var color = palette[index % palette.Length];
            foreach (var (plot, values) in new[] { (loss, own.Select(e => e.Loss)), (accuracy, own.Select(e => e.TrainAccuracy * 100)) })
            {
                var line = plot.Add.Scatter(xs, [.. values], color);
                line.LegendText = phase;
                line.LineWidth = 2;
                line.MarkerSize = 7;
            }
            offset += own.Length;
        }
        loss.Title("Training");
        loss.YLabel("mean loss");
        accuracy.YLabel("training accuracy (%)");
        accuracy.XLabel("epoch (across phases)");
        loss.ShowLegend(Edge.Right);
        accuracy.ShowLegend(Edge.Right);
        using var image = multiplot.Render(Width, Height);
        return image.GetImageBytes(ImageFormat.Png, 100);
    }
}
