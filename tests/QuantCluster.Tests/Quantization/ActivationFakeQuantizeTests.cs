using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Schemes;
using static TorchSharp.torch;

namespace QuantCluster.Tests.Quantization;

[Collection(TorchTests.Name)]
public sealed class ActivationFakeQuantizeTests(TorchFixture torch)
{
    private static readonly float[][] Batches =
    [
        [0.5f, -1.25f, 3f, 0.75f],
        [2f, 4.5f, -0.5f, 1f],
        [-3.75f, 0f, 1.5f, 2.25f],
        [1f, 1f, 1f, 1f],
    ];

    [Fact]
    public void MinMax_mode_keeps_the_exact_min_and_max_over_all_batches()
    {
        using var point = new ActivationFakeQuantize("p", ActivationScheme.AsymmetricUInt8, torch.Kernels) { Observer = ObserverMode.MinMax };

        foreach (var batch in Batches) Feed(point, batch);

        Assert.Equal(new RangeStatistics(-3.75f, 4.5f), point.Range);
    }

    [Fact]
    public void MovingAverage_mode_takes_the_first_batch_then_moves_one_hundredth_of_the_way_to_each_new_batch()
    {
        using var point = new ActivationFakeQuantize("p", ActivationScheme.AsymmetricUInt8, torch.Kernels) { Observer = ObserverMode.MovingAverage };

        Feed(point, Batches[0]);
        Assert.Equal(new RangeStatistics(-1.25f, 3f), point.Range);

        double min = -1.25, max = 3;
        foreach (var batch in Batches.Skip(1))
        {
            Feed(point, batch);
            min += 0.01 * (batch.Min() - min);
            max += 0.01 * (batch.Max() - max);
            Assert.Equal(min, point.Range.Min, 1e-6);
            Assert.Equal(max, point.Range.Max, 1e-6);
        }
        // Not the exact range: the average moved only slightly towards -3.75 and 4.5.
        Assert.True(point.Range.Min > -1.4f && point.Range.Max < 3.1f, $"{point.Range}");
    }

    [Fact]
    public void Off_leaves_the_range_unchanged()
    {
        using var point = new ActivationFakeQuantize("p", ActivationScheme.AsymmetricUInt8, torch.Kernels)
        {
            Range = new RangeStatistics(-1f, 2f),
            Observer = ObserverMode.Off,
        };

        foreach (var batch in Batches) Feed(point, batch);

        Assert.Equal(new RangeStatistics(-1f, 2f), point.Range);
    }

    [Fact]
    public void FakeQuantEnabled_false_returns_the_input_unchanged_even_while_observing()
    {
        using var point = new ActivationFakeQuantize("p", ActivationScheme.AsymmetricUInt8, torch.Kernels)
        {
            Range = new RangeStatistics(-1f, 2f),
            Observer = ObserverMode.MinMax,
            FakeQuantEnabled = false,
        };
        float[] values = [0.123f, -0.777f, 1.999f, 5f];
        using var input = tensor(values);

        // The input itself comes back (not a copy), so it is disposed once, as input.
        var output = point.call(input);
        Assert.Equal(values, output.data<float>().ToArray());

        // The same point with fake quantization on does change these values: the check above can fail.
        point.FakeQuantEnabled = true;
        point.Observer = ObserverMode.Off;
        using var quantized = point.call(input);
        Assert.NotEqual(values, quantized.data<float>().ToArray());
    }

    [Fact]
    public void Params_of_a_point_that_observed_nothing_name_the_point()
    {
        using var point = new ActivationFakeQuantize("layer3.output", ActivationScheme.AsymmetricUInt8, torch.Kernels);

        var error = Assert.Throws<InvalidOperationException>(() => point.Params);

        Assert.Contains("layer3.output", error.Message, StringComparison.Ordinal);
    }

    private static void Feed(ActivationFakeQuantize point, float[] batch)
    {
        using var input = tensor(batch, [2, 2]);
        using var output = point.call(input);
    }
}
