using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Conversion;
using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
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
    public void Integer_model_agrees_with_the_fake_quantized_lenet(ActivationScheme scheme)
    {
        var calibration = SyntheticData.Images(256, seed: 31);
        using var network = new QuantizableNetwork("lenet", scheme, seed: 8);
        ShardCalibrator.Observe(network, calibration, [.. Enumerable.Range(0, calibration.Count)], batchSize: 64);
        network.Configure(ObserverMode.Off, fakeQuantize: true, WeightGranularity.PerChannel);
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

        float lsb = network.ComputeLayers.Last().Output.Params.Scale;
        Assert.Equal(fakeLogits.Length, intLogits.Length);
        double worst = fakeLogits.Zip(intLogits, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst <= AllowedLsbs * lsb * 1.001, $"logits differ by up to {worst / lsb:F2} output steps");
        int agree = Enumerable.Range(0, Inputs).Count(n => ArgMax(fakeLogits.AsSpan(n * Classes, Classes)) == intClasses[n]);
        Assert.True(agree >= Inputs * 99 / 100, $"argmax agrees on {agree} of {Inputs}");
        // The inputs are not all one class, so agreement is not trivially 100%.
        Assert.True(intClasses.Distinct().Count() > 1, "every input got the same class");
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
