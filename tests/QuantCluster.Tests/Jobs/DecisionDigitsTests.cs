using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Evaluation;

namespace QuantCluster.Tests.Jobs;

/// <summary>What the job's decisions are measured on: the held-out training digits when the plan asks for them, else the test digits.</summary>
public sealed class DecisionDigitsTests
{
    // Pixel value i marks training digit i; the test digits are all 200, so a mix-up shows.
    private static readonly LabeledImages Train =
        new(1, 1, [.. Enumerable.Range(0, 40).Select(i => (byte)i)], [.. Enumerable.Range(0, 40).Select(i => (byte)(i % 10))]);

    private static readonly EvaluationDigits Test = new(new LabeledImages(1, 1, [.. Enumerable.Repeat((byte)200, 10)], new byte[10]));

    [Fact]
    public void With_digits_held_out_the_decisions_see_exactly_those_training_digits()
    {
        var split = DataSplit.HoldOut(40, 8, seed: 42);

        var decisions = DecisionDigits.Choose(Train, Test, split);

        Assert.False(decisions.AreTestDigits);
        Assert.Equal(8, decisions.HeldOut);
        Assert.Equal(split.Validation.Select(i => (byte)i), decisions.Digits.Images.Pixels);
        Assert.Equal(split.Validation.Select(i => (byte)(i % 10)), decisions.Digits.Images.Labels);
        Assert.Equal("8 validation digits held out from training", decisions.Description);
    }

    [Fact]
    public void A_decision_measured_with_digits_held_out_is_measured_on_them_not_on_the_test_digits()
    {
        var decisions = DecisionDigits.Choose(Train, Test, DataSplit.HoldOut(40, 8, seed: 42));
        EvaluationDigits? seen = null;

        double accuracy = decisions.Measure(testAccuracy: 0.99, d =>
        {
            seen = d;
            return 0.5;
        });

        Assert.Equal(0.5, accuracy);
        Assert.Same(decisions.Digits, seen);
        Assert.NotSame(Test, seen);
    }

    [Fact]
    public void Without_digits_held_out_the_decisions_reuse_the_test_figures()
    {
        var decisions = DecisionDigits.Choose(Train, Test, DataSplit.HoldOut(40, 0, seed: 42));

        Assert.True(decisions.AreTestDigits);
        Assert.Same(Test, decisions.Digits);
        Assert.Equal("test digits", decisions.Description);
        Assert.Equal(0.99, decisions.Measure(0.99, _ => throw new InvalidOperationException("evaluated the test digits twice")));
    }
}
