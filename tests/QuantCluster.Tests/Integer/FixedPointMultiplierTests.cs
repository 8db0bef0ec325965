using QuantCluster.Quantization.Integer;

namespace QuantCluster.Tests.Integer;

public sealed class FixedPointMultiplierTests
{
    [Theory]
    [InlineData(0.5, 1 << 30, 0)]
    [InlineData(0.25, 1 << 30, 1)]
    [InlineData(0.75, 1610612736, 0)]
    [InlineData(1.0, 1 << 30, -1)]
    [InlineData(3.0, 1610612736, -2)]
    [InlineData(0.0, 0, 0)]
    [InlineData(1e-12, 0, 0)]
    public void FromReal_matches_TFLite_QuantizeMultiplier(double m, int multiplier, int shift) =>
        Assert.Equal(new Requantizer(multiplier, shift), FixedPointMultiplier.FromReal(m));

    [Fact]
    public void FromReal_renormalizes_when_the_mantissa_rounds_up_to_one()
    {
        // q * 2^31 = 2^31 - 2^-9 rounds to 2^31, which does not fit an int32.
        Assert.Equal(new Requantizer(1 << 30, -1), FixedPointMultiplier.FromReal(1 - Math.ScaleB(1, -40)));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(4294967296.0)]
    public void FromReal_rejects_multipliers_it_cannot_represent(double m) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPointMultiplier.FromReal(m));

    [Theory]
    [InlineData(100, 0.5, 50)]
    [InlineData(3, 0.5, 2)] // 1.5: ties go to even, as ONNX QuantizeLinear and ONNX Runtime's requantization round.
    [InlineData(5, 0.5, 2)] // 2.5
    [InlineData(-3, 0.5, -2)] // -1.5
    [InlineData(1000, 0.25, 250)]
    [InlineData(-1002, 0.25, -250)] // -250.5
    [InlineData(3476, 0.009061690419912338, 31)] // 31.4984: rounding twice (SRDHM, then RoundingDivideByPOT by 6) gave 32.
    [InlineData(7, 3.0, 21)]
    [InlineData(-7, 1.0, -7)]
    [InlineData(123456, 0.0, 0)]
    public void Apply_gives_hand_computed_values(int accumulator, double m, int expected) =>
        Assert.Equal(expected, FixedPointMultiplier.Apply(accumulator, FixedPointMultiplier.FromReal(m)));

    [Fact]
    public void Apply_saturates_instead_of_wrapping_on_a_left_shift()
    {
        // 4.0 = 2^30 * 2^-31 * 2^3: the exact product, about +-2^32, saturates at INT_MAX / INT_MIN.
        Assert.Equal(int.MaxValue, FixedPointMultiplier.Apply(int.MaxValue / 2, FixedPointMultiplier.FromReal(4.0)));
        Assert.Equal(int.MinValue, FixedPointMultiplier.Apply(int.MinValue / 2, FixedPointMultiplier.FromReal(4.0)));
        Assert.Equal(int.MaxValue, FixedPointMultiplier.Apply(int.MaxValue, FixedPointMultiplier.FromReal(2147483647.0)));
    }

    [Theory]
    [InlineData("wide", 1e-6, 1.0)]
    [InlineData("near one", 0.999, 1.0)]
    [InlineData("tiny", 1e-9, 1e-7)]
    [InlineData("above one", 1.0, 16.0)]
    public void Apply_rounds_the_real_product_once_half_to_even(string range, double low, double high)
    {
        // string.GetHashCode is randomized per process; the length keeps each range on its own fixed seed.
        var rng = new Random(12345 + range.Length);
        const int Trials = 20000;
        for (int i = 0; i < Trials; i++)
        {
            // Log-uniform multipliers cover every shift in the range equally; small accumulators make near-ties common.
            double m = Math.Exp(Math.Log(low) + (rng.NextDouble() * (Math.Log(high) - Math.Log(low))));
            int limit = (int)Math.Min(i % 2 == 0 ? 1 << 29 : 5000, (1 << 29) / Math.Max(m, 1));
            int acc = rng.Next(-limit, limit + 1);
            int actual = FixedPointMultiplier.Apply(acc, FixedPointMultiplier.FromReal(m));
            double product = acc * m;
            double expected = Math.Round(product, MidpointRounding.ToEven);
            if (actual == expected)
                continue;
            // Only where the product is a tie up to the Q31 rounding of m (relative 2^-31) may the other neighbour come out.
            double fromTie = Math.Abs(product - Math.Floor(product) - 0.5);
            Assert.True(Math.Abs(actual - expected) == 1 && fromTie <= (Math.Abs(product) * Math.ScaleB(1, -30)) + 1e-9,
                $"acc {acc} * m {m:R} = {product:R}: {actual} vs {expected}");
        }
    }

    [Theory]
    [InlineData(0.0007, 0)]
    [InlineData(0.49, -7)]
    [InlineData(0.999999, 3)]
    [InlineData(3e-9, 128)]
    [InlineData(2.5, -128)]
    public void Requantize_of_a_span_is_bit_identical_to_scalar_Apply(double m, int zeroPoint)
    {
        var rng = new Random(zeroPoint + 1000);
        Requantizer r = FixedPointMultiplier.FromReal(m);
        foreach (int length in new[] { 0, 1, 7, 8, 9, 31, 1000 })
        {
            int[] acc = new int[length];
            for (int i = 0; i < length; i++)
                acc[i] = i % 5 == 0 ? rng.Next(int.MinValue, int.MaxValue) : rng.Next(-100000, 100000);
            int bias = rng.Next(-5000, 5000);
            var actual = new int[length];

            FixedPointMultiplier.Requantize(acc, bias, r, zeroPoint, -120, 250, actual);

            // In long: Apply saturates at INT_MIN / INT_MAX, and adding the zero point must not wrap before the clamp.
            int[] expected = Array.ConvertAll(acc, a => (int)Math.Clamp((long)FixedPointMultiplier.Apply(a + bias, r) + zeroPoint, -120, 250));
            Assert.Equal(expected, actual);
        }
    }
}
