using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Conversion;
using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Schemes;
using static TorchSharp.torch;

namespace QuantCluster.Tests.Quantization;

/// <summary>The integer model must compute what the fake-quantized network computes: that is the promise of convert.</summary>
[Collection(TorchTests.Name)]
public sealed class ConversionAgreementTests
{
    private const int Inputs = 200;
    private const int Classes = 10;
    private const int AllowedLsbs = 3;

    [Theory]
    [InlineData(ActivationScheme.AsymmetricUInt8)]
    [InlineData(ActivationScheme.SymmetricInt8)]
    public void Integer_model_agrees_with_the_fake_quantized_lenet(ActivationScheme scheme) =>
        AssertClassesVary(AssertAgreement("lenet", scheme, []));

    [Theory]
    [InlineData(ActivationScheme.AsymmetricUInt8, new[] { "layer2", "layer5" })] // a conv and a linear layer
    [InlineData(ActivationScheme.SymmetricInt8, new[] { "layer0", "layer6" })] // the first and the last layer
    public void Integer_lenet_with_fp32_layers_agrees_with_the_fake_quantized_network(ActivationScheme scheme, string[] fp32Layers) =>
        AssertClassesVary(AssertAgreement("lenet", scheme, fp32Layers));

    [Fact]
    public void Integer_mobilenet_with_fp32_layers_computes_the_fake_quantized_activations()
    {
        // BatchNorm folded into the float weights, a depthwise layer and ReLU6. Random inputs average out in the global pooling
        // of an untrained MobileNet (about ten distinct logits), so this compares the activations after the first pointwise
        // layer instead: 32 x 14 x 14 integers per input, everything the FP32 stem and depthwise layers computed.
        var calibration = SyntheticData.Images(256, seed: 31);
        using var network = new QuantizableNetwork("mobilenet-tiny", ActivationScheme.AsymmetricUInt8, seed: 8);
        ShardCalibrator.Observe(network, calibration, [.. Enumerable.Range(0, 256)], batchSize: 64);
        network.Configure(ObserverMode.Off, fakeQuantize: true, WeightGranularity.PerChannel);
        network.KeepInFp32(["layer0", "layer1"]);
        network.eval();
        float[] inputs = SyntheticData.Uniform(Inputs, 28 * 28, seed: 32);
        var pointwise = network.ComputeLayers.ElementAt(2);
        var capture = new Capture();
        pointwise.Output.Tap = capture;
        using (no_grad())
        using (var x = tensor(inputs, [Inputs, 1, 28, 28]))
            network.call(x).Dispose();
        pointwise.Output.Tap = null;

        var model = Int8Converter.Convert(network, WeightGranularity.PerChannel);
        Assert.IsType<Fp32Conv2d>(model.Layers[0]);
        Assert.IsType<Fp32Conv2d>(model.Layers[1]);
        Assert.IsType<Int8Conv2d>(model.Layers[2]);
        int[] integer = new IntegerExecutor(maxDegreeOfParallelism: 1).RunToIntegers(model with { Layers = [.. model.Layers.Take(3)] }, inputs, Inputs);

        var p = pointwise.Output.Params;
        int[] expected = Array.ConvertAll(capture.Values, p.Quantize);
        Assert.Equal(expected.Length, integer.Length);
        int differ = expected.Zip(integer).Count(e => e.First != e.Second);
        Assert.All(expected.Zip(integer), e => Assert.InRange(Math.Abs(e.First - e.Second), 0, 1));
        Assert.True(differ <= expected.Length / 1000, $"{differ} of {expected.Length} activations one step apart");
        Assert.True(expected.Distinct().Count() > 100, "the activations hardly vary, so agreement would prove little");
    }

    private static int[] AssertAgreement(
        string architecture, ActivationScheme scheme, string[] fp32Layers)
    {
        var calibration = SyntheticData.Images(256, seed: 31);
        using var network = new QuantizableNetwork(architecture, scheme, seed: 8);
        ShardCalibrator.Observe(network, calibration, [.. Enumerable.Range(0, 256)], batchSize: 64);
        network.Configure(ObserverMode.Off, fakeQuantize: true, WeightGranularity.PerChannel);
        network.KeepInFp32(fp32Layers);
        network.eval();
        float[] inputs = SyntheticData.Uniform(Inputs, 28 * 28, seed: 32);

        float[] fakeLogits;
        using (no_grad())
        using (var x = tensor(inputs, [Inputs, 1, 28, 28]))
        using (var logits = network.call(x))
            fakeLogits = logits.data<float>().ToArray();
        var model = Int8Converter.Convert(network, WeightGranularity.PerChannel);
        var executor = new IntegerExecutor(maxDegreeOfParallelism: 1);
        int[] intClasses = executor.Predict(model, inputs, Inputs);
        float[] intLogits = executor.Logits(model, inputs, Inputs);

        string[] converted = [.. model.Layers.Select((l, i) => (l, i)).Where(x => x.l is Fp32Conv2d or Fp32Linear).Select(x => $"layer{x.i}")];
        Assert.Equal(fp32Layers, converted);
        float lsb = network.ComputeLayers.Last().Output.Params.Scale;
        Assert.Equal(fakeLogits.Length, intLogits.Length);
        double worst = fakeLogits.Zip(intLogits, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= AllowedLsbs * lsb * 1.001, $"logits differ by up to {worst / lsb:F2} output steps");
        int agree = Enumerable.Range(0, Inputs).Count(n => ArgMax(fakeLogits.AsSpan(n * Classes, Classes)) == intClasses[n]);
        Assert.True(agree >= Inputs * 99 / 100, $"argmax agrees on {agree} of {Inputs}");
        Assert.True(intLogits.Distinct().Count() >= 16, $"only {intLogits.Distinct().Count()} distinct logits, so agreement would prove little");
        return intClasses;
    }

    // The inputs are not all one class, so argmax agreement is not trivially 100%.
    private static void AssertClassesVary(int[] classes) => Assert.True(classes.Distinct().Count() > 1, "every input got the same class");

    private sealed class Capture : IActivationTap
    {
        public float[] Values { get; private set; } = [];

        public void Seen(Tensor activation) => Values = activation.contiguous().data<float>().ToArray();
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++)
        {
            if (row[j] > row[best]) best = j;
        }
        return best;
    }
}
