using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Evaluation;
using QuantCluster.Tests.Data;

namespace QuantCluster.Tests.Jobs;

/// <summary>What the job's decisions are measured on: the held-out training samples when the plan asks for them, else the test samples.</summary>
public sealed class DecisionSamplesTests
{
    // Pixel value i marks training sample i; the test samples are all 200, so a mix-up shows.
    private static readonly LabeledImages Train =
        TestImages.Of(1, 1, 1, [.. Enumerable.Range(0, 40).Select(i => (byte)i)], [.. Enumerable.Range(0, 40).Select(i => i % 10)]);

    private static readonly EvaluationSamples Test = new(TestImages.Of(1, 1, 1, [.. Enumerable.Repeat((byte)200, 10)], new int[10]));

    [Fact]
    public void With_samples_held_out_the_decisions_see_exactly_those_training_samples()
    {
        var split = DataSplit.HoldOut(40, 8, seed: 42);

        var decisions = DecisionSamples.Choose(Train, Test, split);

        Assert.False(decisions.AreTestSamples);
        Assert.Equal(8, decisions.HeldOut);
        Assert.Equal(split.Validation.Select(i => i / 255f), decisions.Samples.Images.Inputs([.. Enumerable.Range(0, 8)]));
        Assert.Equal(split.Validation.Select(i => i % 10), decisions.Samples.Images.Labels);
        Assert.Equal("8 validation samples held out from training", decisions.Description);
    }

    [Fact]
    public void A_decision_measured_with_samples_held_out_is_measured_on_them_not_on_the_test_samples()
    {
        var decisions = DecisionSamples.Choose(Train, Test, DataSplit.HoldOut(40, 8, seed: 42));
        EvaluationSamples? seen = null;

        double accuracy = decisions.Measure(testAccuracy: 0.99, d =>
        {
            seen = d;
            return 0.5;
        });

        Assert.Equal(0.5, accuracy);
        Assert.Same(decisions.Samples, seen);
        Assert.NotSame(Test, seen);
    }

    [Fact]
    public void Without_samples_held_out_the_decisions_reuse_the_test_figures()
    {
        var decisions = DecisionSamples.Choose(Train, Test, DataSplit.HoldOut(40, 0, seed: 42));

        Assert.True(decisions.AreTestSamples);
        Assert.Same(Test, decisions.Samples);
        Assert.Equal("test samples", decisions.Description);
        Assert.Equal(0.99, decisions.Measure(0.99, _ => throw new InvalidOperationException("evaluated the test samples twice")));
    }
}
