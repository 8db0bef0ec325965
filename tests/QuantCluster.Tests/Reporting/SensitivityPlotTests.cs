using System.Buffers.Binary;
using QuantCluster.Coordinator.Reporting;
using QuantCluster.Quantization.Evaluation;
using SkiaSharp;

namespace QuantCluster.Tests.Reporting;

/// <summary>The sensitivity plot is a real PNG of the stated size that shows the figures it was given.</summary>
public sealed class SensitivityPlotTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly SensitivityFigures LeNet = new(1000,
    [
        new LayerSensitivity("layer0", 1.9, 0.807, 0.989, 0.802),
        new LayerSensitivity("layer2", 37.7, 0.990, 0.800, 0.805),
        new LayerSensitivity("layer5", 41.0, 0.990, 0.798, 0.801),
        new LayerSensitivity("layer6", 40.7, 0.989, 0.801, 0.800),
    ]);

    [Fact]
    public void Four_layers_make_a_png_of_the_stated_size_with_bars_and_text()
    {
        byte[] png = SensitivityPlot.Render(LeNet);

        Assert.Equal(PngSignature, png[..8]);
        // IHDR is the first chunk: length (4), type (4), then width and height, big-endian.
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(SensitivityPlot.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(SensitivityPlot.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((SensitivityPlot.Width, SensitivityPlot.Height), (bitmap.Width, bitmap.Height));
        // Background, three bar colours, axes and anti-aliased text: far more than a blank or single-colour image.
        Assert.True(DistinctColours(bitmap) > 50, $"{DistinctColours(bitmap)} colours");
        Assert.True(Share(bitmap, SKColor.Parse("4682B4")) > 0.01, "SQNR bars (steel blue) cover under 1 % of the image");
    }

    [Fact]
    public void The_picture_follows_the_figures()
    {
        var worse = LeNet with { Layers = [.. LeNet.Layers.Select(l => l with { SqnrDb = l.SqnrDb / 4 })] };

        Assert.NotEqual(SensitivityPlot.Render(LeNet), SensitivityPlot.Render(worse));
    }

    [Fact]
    public void One_layer_without_noise_still_makes_a_png()
    {
        byte[] png = SensitivityPlot.Render(new SensitivityFigures(10, [new LayerSensitivity("layer0", null, 1.0, 1.0, 1.0)]));

        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(SensitivityPlot.Width, bitmap.Width);
        Assert.True(DistinctColours(bitmap) > 10);
        Assert.Equal(0, Share(bitmap, SKColor.Parse("4682B4")));
    }

    [Fact]
    public void An_empty_set_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SensitivityPlot.Render(new SensitivityFigures(0, [])));
    }

    private static int DistinctColours(SKBitmap bitmap) => bitmap.Pixels.Distinct().Count();

    private static double Share(SKBitmap bitmap, SKColor colour) => bitmap.Pixels.Count(p => p == colour) / (double)bitmap.Pixels.Length;
}
