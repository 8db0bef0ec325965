using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Graph;
using QuantCluster.Quantization.GraphQuantization;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Onnx.Import;
using QuantCluster.Tests.Onnx.Import;
using QuantCluster.Tests.Quantization;
using static TorchSharp.torch;

namespace QuantCluster.Tests.GraphQuantization;

/// <summary>The prepared module: FP32 with its switches off, observers on every point, calibration shards that merge exactly.</summary>
[Collection(TorchTests.Name)]
public sealed class QuantizedGraphNetworkTests
{
    [Fact]
    public void With_everything_off_it_computes_the_imported_network_with_batchnorm_folded()
    {
        const string file = "resnet-3x32x32-opset13-bn.onnx";
        using var prepared = CalibratedGraphs.Prepared(file);
        using var original = new GraphNetwork(OnnxModelImporter.Import(ShippedOnnxModels.PathOf(file)));
        prepared.eval();
        original.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = CalibratedGraphs.Batches(prepared, "t10k", 0, 64).Single();

        var ours = prepared.call(x);
        var reference = original.call(x);
        double relative = (ours - reference).norm().item<float>() / reference.norm().item<float>();
        Assert.True(relative < 1e-5, $"relative difference {relative:E2}");
    }

    [Fact]
    public void Every_point_observes_a_range_and_the_switches_reach_every_point()
    {
        using var network = CalibratedGraphs.Calibrated("branchy-1x28x28-opset13.onnx");

        Assert.All(network.QuantizationPoints, p => Assert.False(p.Point.Range.IsEmpty, $"{p.Name} observed nothing"));
        Assert.All(network.QuantizationPoints, p => Assert.True(p.Point.FakeQuantEnabled && p.Point.Observer == ObserverMode.Off));
        Assert.True(network.FakeQuantWeights);
        network.Configure(ObserverMode.MovingAverage, fakeQuantize: false);
        Assert.All(network.QuantizationPoints, p => Assert.True(!p.Point.FakeQuantEnabled && p.Point.Observer == ObserverMode.MovingAverage));
        Assert.False(network.FakeQuantWeights);
    }

    [Fact]
    public void Shards_merged_with_range_merge_equal_one_pass_over_all_the_data()
    {
        const string file = "mobilenet_v3_small-1x28x28-opset13.onnx";
        using var network = CalibratedGraphs.Prepared(file);
        string[] names = [.. network.QuantizationPoints.Select(p => p.Name)];

        var whole = GraphQuantizationRanges(network, 0, 384);
        var first = GraphQuantizationRanges(network, 0, 128);
        var second = GraphQuantizationRanges(network, 128, 256);
        var merged = RangeMerge.Merge(names, [Shard(names, first), Shard(names, second)]);

        Assert.Equal(whole, merged);
    }

    private static RangeStatistics[] GraphQuantizationRanges(QuantizedGraphNetwork network, int first, int count) =>
        [.. GraphCalibration.Observe(network, CalibratedGraphs.Batches(network, "train", first, count)).Select(p => p.Range)];

    private static (string[] Points, float[] Min, float[] Max) Shard(string[] names, RangeStatistics[] ranges) =>
        (names, [.. ranges.Select(r => r.Min)], [.. ranges.Select(r => r.Max)]);
}
