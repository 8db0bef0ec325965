using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Schemes;
using static TorchSharp.torch;

namespace QuantCluster.Tests.Quantization;

/// <summary>Fake quantization against values worked out by hand from x_out = (clamp(round(x / s) + z, qmin, qmax) - z) * s.</summary>
[Collection(TorchTests.Name)]
public sealed class FakeQuantTests(TorchFixture torch)
{
    private const float Tolerance = 1e-6f;

    [Fact]
    public void Per_tensor_rounds_ties_to_even_and_clamps_with_a_nonzero_zero_point()
    {
        // s = 0.5 (exact in binary, so x / s is exact and the ties really are ties), z = 3, q in [0, 255].
        float[] x = [0.25f, 0.75f, -0.25f, 1.25f, -0.75f, 200f, -5f, 1.1f];
        // x / s:  0.5 -> 0, 1.5 -> 2, -0.5 -> -0, 2.5 -> 2, -1.5 -> -2, 400 + 3 clamps to 255, -10 + 3 clamps to 0, 2.2 -> 2.
        float[] expected = [0f, 1f, 0f, 1f, -1f, 126f, -1.5f, 1f];

        using var input = tensor(x);
        using var output = torch.Kernels.PerTensor(input, new QuantParams(0.5f, 3, 0, 255));

        Assert.Equal(expected, output.data<float>().ToArray());
    }

    [Fact]
    public void Only_the_uint8_and_int8_ranges_have_kernels()
    {
        using var input = tensor(new[] { 1f });

        var error = Assert.Throws<ArgumentException>(() => torch.Kernels.PerTensor(input, new QuantParams(0.5f, 0, 0, 10)));
        Assert.Contains("[0, 10]", error.Message);
    }

    [Fact]
    public void Asymmetric_uint8_parameters_from_the_calculator_quantize_as_computed_by_hand()
    {
        var p = QuantParamsCalculator.ForActivation(-1f, 3f, ActivationScheme.AsymmetricUInt8);
        // s = 4 / 255, z = round(1 / s) = round(63.75) = 64.
        Assert.Equal(new QuantParams(4f / 255f, 64, 0, 255), p);

        float[] x = [0f, 3f, -1f, 5f, -2f, 0.5f];
        // x / s = 0, 191.25, -63.75, 318.75, -127.5, 31.875 -> q - z = 0, 191, -64, 191 (255 - 64), -64 (0 - 64), 32.
        int[] steps = [0, 191, -64, 191, -64, 32];

        using var input = tensor(x);
        using var output = torch.Kernels.PerTensor(input, p);

        AssertSteps(steps, p.Scale, output.data<float>().ToArray());
    }

    [Fact]
    public void Symmetric_int8_parameters_from_the_calculator_quantize_as_computed_by_hand()
    {
        var p = QuantParamsCalculator.ForActivation(-2f, 1f, ActivationScheme.SymmetricInt8);
        // s = max(|-2|, 1) / 127, z = 0, q in [-127, 127].
        Assert.Equal(new QuantParams(2f / 127f, 0, -127, 127), p);

        float[] x = [-3f, 1.01f, 0.5f, -0.1f, 2.5f];
        // x / s = -190.5, 64.135, 31.75, -6.35, 158.75 -> -127 (clamped), 64, 32, -6, 127 (clamped).
        int[] steps = [-127, 64, 32, -6, 127];

        using var input = tensor(x);
        using var output = torch.Kernels.PerTensor(input, p);

        AssertSteps(steps, p.Scale, output.data<float>().ToArray());
    }

    [Fact]
    public void Per_channel_weights_use_max_abs_over_127_for_each_output_channel()
    {
        var quantizer = new WeightFakeQuantizer(torch.Kernels) { Granularity = WeightGranularity.PerChannel };
        using var weight = tensor(new[] { 0.5f, -1.27f, 0.3f, 0.004f }, [2, 1, 1, 2]);
        float s0 = 1.27f / 127f, s1 = 0.3f / 127f;

        using var scales = quantizer.Scales(weight);
        using var output = quantizer.Apply(weight);

        Assert.Equal(ScalarType.Float32, scales.dtype);
        AssertClose([s0, s1], scales.data<float>().ToArray(), 1e-12f);
        // Channel 0: 0.5 / s0 = 50, -1.27 / s0 = -127. Channel 1: 0.3 / s1 = 127, 0.004 / s1 = 1.69 -> 2.
        AssertClose([50 * s0, -127 * s0, 127 * s1, 2 * s1], output.data<float>().ToArray(), Tolerance);
    }

    [Fact]
    public void Per_tensor_weights_share_one_scale_across_channels()
    {
        var quantizer = new WeightFakeQuantizer(torch.Kernels) { Granularity = WeightGranularity.PerTensor };
        using var weight = tensor(new[] { 0.5f, -1.27f, 0.3f, 0.004f }, [2, 1, 1, 2]);
        float s = 1.27f / 127f;

        using var scales = quantizer.Scales(weight);
        using var output = quantizer.Apply(weight);

        AssertClose([s, s], scales.data<float>().ToArray(), 1e-12f);
        // Everything on the grid of s = 0.01: 0.3 -> 30, and 0.004 -> 0.4 rounds to 0 (per channel it kept 2 steps).
        AssertClose([50 * s, -127 * s, 30 * s, 0f], output.data<float>().ToArray(), Tolerance);
    }

    [Fact]
    public void Per_tensor_gradient_is_straight_through_inside_the_clamp_range_and_zero_outside()
    {
        // s = 0.5, z = 3, q in [0, 255]: round(x / s) + z is -1, 0, 4, 255, 256, 256, 255.
        using var x = tensor(new[] { -2f, -1.5f, 0.3f, 126f, 126.5f, 126.26f, 126.24f }, requires_grad: true);
        using var upstream = tensor(new[] { 1f, 2f, 3f, 4f, 5f, 6f, 7f });

        using (var y = torch.Kernels.PerTensor(x, new QuantParams(0.5f, 3, 0, 255)))
        using (var loss = (y * upstream).sum())
            loss.backward();

        using var grad = x.grad!;
        Assert.Equal(new[] { 0f, 2f, 3f, 4f, 0f, 0f, 7f }, grad.data<float>().ToArray());
    }

    [Fact]
    public void Per_channel_gradient_is_straight_through_inside_each_channels_clamp_range_and_zero_outside()
    {
        // Channel 0: s = 0.5; channel 1: s = 0.25; zero points 0, q in [-127, 127].
        using var x = tensor(new[] { -70f, 2f, 63.6f, 0.5f, 31.9f, -1.5f }, [2, 3], requires_grad: true);
        using var scales = tensor(new[] { 0.5f, 0.25f });

        using (var y = torch.Kernels.PerChannelSymmetric(x, scales))
        {
            // Channel 0: -140 -> -127, 4, 127.2 -> 127. Channel 1: 2, 127.6 -> 128 -> 127, -6.
            Assert.Equal(new[] { -63.5f, 2f, 63.5f, 0.5f, 31.75f, -1.5f }, y.data<float>().ToArray());
            using var loss = y.sum();
            loss.backward();
        }

        using var grad = x.grad!;
        Assert.Equal(new[] { 0f, 1f, 1f, 1f, 0f, 1f }, grad.data<float>().ToArray());
    }

    [Theory]
    [InlineData(WeightGranularity.PerChannel)]
    [InlineData(WeightGranularity.PerTensor)]
    public void Weight_gradient_is_one_everywhere_because_the_scale_covers_the_whole_weight(WeightGranularity granularity)
    {
        var quantizer = new WeightFakeQuantizer(torch.Kernels) { Granularity = granularity };
        using var w = tensor(new[] { 0.5f, -1.27f, 0.3f, 0.004f }, [2, 1, 1, 2], requires_grad: true);

        using (var y = quantizer.Apply(w))
        using (var loss = y.sum())
            loss.backward();

        using var grad = w.grad!;
        Assert.Equal(new[] { 1f, 1f, 1f, 1f }, grad.data<float>().ToArray());
    }

    private static void AssertSteps(int[] steps, float scale, float[] actual) =>
        AssertClose([.. steps.Select(k => k * scale)], actual, Tolerance);

    internal static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
