using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Conversion;
using QuantCluster.Quantization.Evaluation;
using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Tests.Onnx;
using Xunit.Abstractions;

namespace QuantCluster.Tests.Quantization;

/// <summary>Fallback on a model with one deliberately fragile layer, measured with the real integer model on the shipped digits.</summary>
[Collection(TorchTests.Name)]
public sealed class FragileLayerFallbackTests(ITestOutputHelper output)
{
    private const double TolerancePoints = 1.0;

    [Fact]
    public void Fallback_leaves_exactly_the_fragile_layer_in_fp32_and_brings_the_drop_within_tolerance()
    {
        var train = ShippedMnist.Load("train");
        var test = ShippedMnist.Load("t10k");
        using var network = FragileMlp.Train(train);
        ShardCalibrator.Observe(network, train, [.. Enumerable.Range(0, 1000)], batchSize: 250);
        double fp32 = Accuracy.Of(TorchPredictor.Predict(network, test, 500), test.Labels);
        float[] pixels = test.Inputs([.. Enumerable.Range(0, test.Count)]);
        var executor = new IntegerExecutor();
        double AccuracyWith(IReadOnlyList<string> fp32Layers)
        {
            network.KeepInFp32(fp32Layers);
            return Accuracy.Of(executor.Predict(Int8Converter.Convert(network, WeightGranularity.PerChannel), pixels, test.Count), test.Labels);
        }

        double ptq = AccuracyWith([]);
        var sensitivity = SensitivityAnalysis.Measure(network, test, [.. Enumerable.Range(0, 500)], 250, WeightGranularity.PerChannel);
        var ranked = FallbackSearch.Rank(sensitivity, allowed: null);
        var outcome = FallbackSearch.Run(ranked, fp32, TolerancePoints, maxLayers: 2, AccuracyWith);
        output.WriteLine($"FP32 {fp32:P2}, PTQ {ptq:P2}, ranked {string.Join(", ", ranked)}; " +
            string.Join("; ", outcome.Steps.Select(s => $"{string.Join("+", s.Fp32Layers)} in FP32: {s.Accuracy:P2} ({s.DropPoints:0.00} points)")));

        Assert.InRange(fp32, 0.85, 1.0);
        Assert.True(AccuracyDrop.Points(fp32, ptq) > 20, $"PTQ {ptq:P2} against FP32 {fp32:P2}: the layer is not fragile");
        Assert.Equal(FragileMlp.FragileLayer, ranked[0]);
        Assert.True(outcome.MetTolerance, $"the search ended {outcome.Steps[^1].DropPoints:0.00} points below FP32");
        Assert.Equal([FragileMlp.FragileLayer], outcome.Fp32Layers);

        network.KeepInFp32(outcome.Fp32Layers);
        var mixed = Int8Converter.Convert(network, WeightGranularity.PerChannel);
        network.Configure(ObserverMode.Off, fakeQuantize: true, WeightGranularity.PerChannel);
        int[] fakeQuant = TorchPredictor.Predict(network, test, 500);
        int[] integer = executor.Predict(mixed, pixels, test.Count);
        Assert.IsType<Fp32Linear>(mixed.Layers[1]);
        Assert.True(Accuracy.Agreement(fakeQuant, integer) >= 0.995, $"the integer model agrees with the fake-quantized one on {Accuracy.Agreement(fakeQuant, integer):P2}");
    }

    [Fact]
    public void Keeping_a_layer_the_network_does_not_have_in_fp32_is_rejected_by_name()
    {
        using var network = new QuantizableNetwork("mlp", ActivationScheme.AsymmetricUInt8, seed: 1);

        var error = Assert.Throws<ArgumentException>(() => network.KeepInFp32(["layer1", "layer0"]));

        Assert.Contains("layer0 is not a compute layer of mlp; its compute layers are layer1, layer2, layer3", error.Message, StringComparison.Ordinal);
        Assert.Empty(network.Fp32Layers);
    }
}
