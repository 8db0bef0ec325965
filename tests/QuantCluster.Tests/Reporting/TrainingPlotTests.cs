using QuantCluster.Coordinator.Jobs;
using QuantCluster.Coordinator.Reporting;
using SkiaSharp;

namespace QuantCluster.Tests.Reporting;

/// <summary>The training plot is a PNG of the stated size with a line per phase, and follows the figures.</summary>
public sealed class TrainingPlotTests
{
    private static readonly EpochRecord[] Epochs =
    [
        new("fp32", 1, 0.41, 0.88, 5000, 1.6, "a", 1),
        new("fp32", 2, 0.12, 0.96, 5000, 1.6, "b", 1),
        new("fp32", 3, 0.08, 0.97, 5000, 1.6, "c", 1),
        new("qat", 1, 0.07, 0.98, 4000, 2.0, "d", 1),
        new("qat", 2, 0.05, 0.99, 4000, 2.0, "e", 1),
    ];

    [Fact]
    public void Two_phases_make_a_png_with_a_line_in_each_phases_colour()
    {
        using var bitmap = SKBitmap.Decode(TrainingPlot.Render(Epochs));

        Assert.Equal((TrainingPlot.Width, TrainingPlot.Height), (bitmap.Width, bitmap.Height));
        Assert.True(Count(bitmap, Skia(ScottPlot.Colors.SteelBlue)) > 100, "no FP32 line (steel blue)");
        Assert.True(Count(bitmap, Skia(ScottPlot.Colors.DarkOrange)) > 100, "no QAT line (dark orange)");
    }

    [Fact]
    public void The_picture_follows_the_figures()
    {
        var worse = Epochs.Select(e => e with { Loss = e.Loss * 3 }).ToArray();

        Assert.NotEqual(TrainingPlot.Render(Epochs), TrainingPlot.Render(worse));
    }

    [Fact]
    public void No_epochs_are_refused() => Assert.Throws<ArgumentException>(() => TrainingPlot.Render([]));

    private static int Count(SKBitmap bitmap, SKColor colour) => bitmap.Pixels.Count(p => p == colour);

    private static SKColor Skia(ScottPlot.Color colour) => new(colour.R, colour.G, colour.B, colour.A);
}
