using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Tests.Quantization;

public sealed class QuantParamsCalculatorTests
{
    [Fact]
    public void Asymmetric_range_above_zero_is_widened_down_to_zero()
    {
        var p = QuantParamsCalculator.ForActivation(1f, 3f, ActivationScheme.AsymmetricUInt8);

        // [1, 3] becomes [0, 3]: s = 3 / 255, z = 0.
        Assert.Equal(new QuantParams(3f / 255f, 0, 0, 255), p);
        Assert.Equal(0f, p.Dequantize(p.Quantize(0f)));
    }

    [Fact]
    public void Asymmetric_range_below_zero_is_widened_up_to_zero_and_puts_the_zero_point_at_the_top()
    {
        var p = QuantParamsCalculator.ForActivation(-4f, -1f, ActivationScheme.AsymmetricUInt8);

        // [-4, -1] becomes [-4, 0]: s = 4 / 255, z = round(4 / s) = 255.
        Assert.Equal(new QuantParams(4f / 255f, 255, 0, 255), p);
        Assert.Equal(0f, p.Dequantize(p.Quantize(0f)));
    }

    [Fact]
    public void Symmetric_range_is_widened_to_zero_and_keeps_zero_point_zero()
    {
        var positive = QuantParamsCalculator.ForActivation(0.5f, 2f, ActivationScheme.SymmetricInt8);
        var negative = QuantParamsCalculator.ForActivation(-2.54f, -1f, ActivationScheme.SymmetricInt8);
        var mixed = QuantParamsCalculator.ForActivation(-1f, 2.54f, ActivationScheme.SymmetricInt8);

        Assert.Equal(new QuantParams(2f / 127f, 0, -127, 127), positive);
        Assert.Equal(new QuantParams(2.54f / 127f, 0, -127, 127), negative);
        Assert.Equal(new QuantParams(2.54f / 127f, 0, -127, 127), mixed);
    }

    [Theory]
    [InlineData(0f, ActivationScheme.AsymmetricUInt8)]
    [InlineData(0f, ActivationScheme.SymmetricInt8)]
    [InlineData(1e-30f, ActivationScheme.AsymmetricUInt8)]
    [InlineData(-1e-30f, ActivationScheme.AsymmetricUInt8)]
    [InlineData(-1e-30f, ActivationScheme.SymmetricInt8)]
    public void Constant_tensor_gives_a_finite_positive_scale_and_represents_zero_exactly(float value, ActivationScheme scheme)
    {
        var p = QuantParamsCalculator.ForActivation(value, value, scheme);

        Assert.True(float.IsFinite(p.Scale) && p.Scale > 0, $"scale {p.Scale}");
        Assert.InRange(p.ZeroPoint, p.QMin, p.QMax);
        Assert.Equal(0f, p.Dequantize(p.Quantize(0f)));
        Assert.True(float.IsFinite(p.Dequantize(p.Quantize(value))));
    }

    [Fact]
    public void Constant_nonzero_tensor_is_represented_within_half_a_step()
    {
        var p = QuantParamsCalculator.ForActivation(2f, 2f, ActivationScheme.AsymmetricUInt8);

        Assert.Equal(new QuantParams(2f / 255f, 0, 0, 255), p);
        Assert.True(Math.Abs(p.Dequantize(p.Quantize(2f)) - 2f) <= p.Scale / 2);
    }

    [Fact]
    public void Asymmetric_zero_point_stays_in_0_255_for_any_range_and_zero_stays_exact()
    {
        var rng = new Random(11);
        var ranges = new List<(float Min, float Max)>
        {
            (-float.MaxValue / 2, 0f), (0f, float.MaxValue / 2), (-1e-20f, 1e-20f), (-3e-6f, 1e-9f), (-1f, 1e-30f),
        };
        for (int i = 0; i < 2000; i++)
        {
            float a = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-8, 8)));
            float b = (float)((rng.NextDouble() * 2 - 1) * Math.Pow(10, rng.Next(-8, 8)));
            ranges.Add((Math.Min(a, b), Math.Max(a, b)));
        }

        foreach (var (min, max) in ranges)
        {
            var p = QuantParamsCalculator.ForActivation(min, max, ActivationScheme.AsymmetricUInt8);
            Assert.InRange(p.ZeroPoint, 0, 255);
            Assert.True(float.IsFinite(p.Scale) && p.Scale > 0, $"[{min}, {max}]: scale {p.Scale}");
            Assert.Equal(0f, p.Dequantize(p.Quantize(0f)));
            // The widened range's ends land within one step of the grid's ends.
            Assert.True(p.Dequantize(p.QMin) <= Math.Min(min, 0) + p.Scale, $"[{min}, {max}]: low end {p.Dequantize(p.QMin)}");
            Assert.True(p.Dequantize(p.QMax) >= Math.Max(max, 0) - p.Scale, $"[{min}, {max}]: high end {p.Dequantize(p.QMax)}");
        }
    }

    [Fact]
    public void Weight_scale_is_max_abs_over_127_with_a_positive_floor()
    {
        Assert.Equal(1.27f / 127f, QuantParamsCalculator.WeightScale(1.27f));
        float zero = QuantParamsCalculator.WeightScale(0f);
        Assert.True(zero > 0 && float.IsFinite(zero));
    }
}
