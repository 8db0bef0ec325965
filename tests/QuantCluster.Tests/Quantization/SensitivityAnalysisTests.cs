using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Evaluation;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Tests.Quantization;

[Collection(TorchTests.Name)]
public sealed class SensitivityAnalysisTests
{
    [Theory]
    [InlineData(100.0, 1.0, 20.0)]
    [InlineData(1.0, 1.0, 0.0)]
    [InlineData(1.0, 1000.0, -30.0)]
    public void Sqnr_is_ten_log10_of_signal_over_noise(double signal, double noise, double db) =>
        Assert.Equal(db, SensitivityAnalysis.Sqnr(signal, noise)!.Value, 12);

    [Fact]
    public void No_noise_has_no_finite_sqnr() => Assert.Null(SensitivityAnalysis.Sqnr(5, 0));

    [Fact]
    public void Every_compute_layer_is_measured_and_the_network_is_left_in_fp32()
    {
        var data = SyntheticData.Images(40, seed: 9);
        using var network = new QuantizableNetwork("lenet", ActivationScheme.AsymmetricUInt8, seed: 4);
        int[] samples = [.. Enumerable.Range(0, data.Count)];
        var ranges = ShardCalibrator.Observe(network, data, samples, 20);
        for (int i = 0; i < ranges.Count; i++) network.QuantizationPoints[i].Point.Range = ranges[i].Range;
        var before = TorchPredictor.Predict(network, data, 20);

        var layers = SensitivityAnalysis.Measure(network, data, samples, 20, WeightGranularity.PerChannel);

        Assert.Equal(network.ComputeLayers.Count(), layers.Count);
        Assert.Equal("layer0", layers[0].Layer);
        // 8-bit quantization of one layer: the noise is far below the signal (about 6 dB per bit when the range is used well).
        Assert.All(layers, l => Assert.InRange(l.SqnrDb!.Value, 15, 80));
        Assert.All(layers, l => Assert.InRange(l.AccuracyOnlyThisQuantized, 0, 1));
        Assert.All(layers, l => Assert.InRange(l.AccuracyLeftInFp32, 0, 1));
        Assert.All(network.ComputeLayers, l => Assert.False(l.KeptInFp32));
        Assert.All(network.QuantizationPoints, p => Assert.Null(p.Point.Tap));
        Assert.Equal(before, TorchPredictor.Predict(network, data, 20));
    }
}
