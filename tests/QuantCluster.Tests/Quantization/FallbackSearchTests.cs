using QuantCluster.Quantization.Evaluation;

namespace QuantCluster.Tests.Quantization;

/// <summary>The fallback search with a fake evaluator: which layers it tries, in what order, and when it stops.</summary>
public sealed class FallbackSearchTests
{
    private const double Fp32 = 0.98;

    [Fact]
    public void Rank_puts_the_layer_whose_fp32_weights_recover_most_first()
    {
        LayerSensitivity[] layers =
        [
            new("layer0", 30, 0.97, 0.97, 0.90),
            // Highest "all but this": its loss is in the output activation, which fallback keeps int8.
            new("layer2", 35, 0.97, 0.99, 0.91),
            new("layer5", 20, 0.90, 0.95, 0.97),
        ];

        Assert.Equal(["layer5", "layer2", "layer0"], FallbackSearch.Rank(layers, null));
    }

    [Fact]
    public void Rank_breaks_ties_by_lowest_sqnr_then_no_noise_last_then_forward_order()
    {
        LayerSensitivity[] layers =
        [
            new("layer0", null, 0.98, 0.98, 0.95),
            new("layer1", 40, 0.98, 0.98, 0.95),
            new("layer2", 25, 0.98, 0.98, 0.95),
            new("layer3", 40, 0.98, 0.98, 0.95),
        ];

        Assert.Equal(["layer2", "layer1", "layer3", "layer0"], FallbackSearch.Rank(layers, null));
    }

    [Fact]
    public void Rank_keeps_only_allowed_layers_in_ranked_order()
    {
        LayerSensitivity[] layers =
        [
            new("layer0", 30, 0.9, 0.9, 0.90),
            new("layer2", 30, 0.9, 0.9, 0.96),
            new("layer5", 30, 0.9, 0.9, 0.97),
        ];

        Assert.Equal(["layer5", "layer0"], FallbackSearch.Rank(layers, ["layer0", "layer5"]));
        Assert.Empty(FallbackSearch.Rank(layers, []));
    }

    [Fact]
    public void Stops_at_the_first_step_within_the_tolerance()
    {
        var evaluator = new FakeEvaluator(new() { ["a"] = 0.95, ["a+b"] = 0.976, ["a+b+c"] = 0.98 });

        var outcome = FallbackSearch.Run(["a", "b", "c"], Fp32, tolerancePoints: 0.5, maxLayers: 3, evaluator.AccuracyWith);

        Assert.True(outcome.MetTolerance);
        Assert.Equal(["a", "a+b"], evaluator.Calls);
        Assert.Equal(["a", "b"], outcome.Fp32Layers);
        Assert.Equal(["a", "b"], outcome.Steps.Select(s => s.Layer));
        Assert.Equal(3.0, outcome.Steps[0].DropPoints, 9);
        Assert.Equal(0.4, outcome.Steps[1].DropPoints, 9);
        Assert.Equal(0.976, outcome.Steps[1].Accuracy);
    }

    [Fact]
    public void A_drop_exactly_at_the_tolerance_meets_it()
    {
        var evaluator = new FakeEvaluator(new() { ["a"] = 0.975 });

        var outcome = FallbackSearch.Run(["a", "b"], 0.975 + 0.005, tolerancePoints: 0.5, maxLayers: 2, evaluator.AccuracyWith);

        Assert.True(outcome.MetTolerance, $"drop {outcome.Steps[0].DropPoints}");
        Assert.Single(outcome.Steps);
    }

    [Fact]
    public void Leaves_at_most_max_layers_in_fp32_and_reports_the_miss()
    {
        var evaluator = new FakeEvaluator(new() { ["a"] = 0.90, ["a+b"] = 0.93, ["a+b+c"] = 0.98 });

        var outcome = FallbackSearch.Run(["a", "b", "c"], Fp32, tolerancePoints: 0.5, maxLayers: 2, evaluator.AccuracyWith);

        Assert.False(outcome.MetTolerance);
        Assert.Equal(["a", "a+b"], evaluator.Calls);
        Assert.Equal(["a", "b"], outcome.Fp32Layers);
        Assert.Equal(["a", "b", "c"], outcome.Candidates);
    }

    [Fact]
    public void Zero_max_layers_evaluates_nothing()
    {
        var evaluator = new FakeEvaluator([]);

        var outcome = FallbackSearch.Run(["a"], Fp32, tolerancePoints: 0.5, maxLayers: 0, evaluator.AccuracyWith);

        Assert.False(outcome.MetTolerance);
        Assert.Empty(outcome.Steps);
        Assert.Empty(outcome.Fp32Layers);
        Assert.Empty(evaluator.Calls);
    }

    [Fact]
    public void Stops_when_the_candidates_run_out_before_the_limit()
    {
        var evaluator = new FakeEvaluator(new() { ["a"] = 0.90 });

        var outcome = FallbackSearch.Run(["a"], Fp32, tolerancePoints: 0.5, maxLayers: 3, evaluator.AccuracyWith);

        Assert.False(outcome.MetTolerance);
        Assert.Equal(["a"], evaluator.Calls);
    }

    [Fact]
    public void A_layer_named_twice_is_rejected() =>
        Assert.Throws<ArgumentException>(() => FallbackSearch.Run(["a", "a"], Fp32, 0.5, 2, _ => 0));

    /// <summary>Answers the accuracy for each set of FP32 layers (joined with '+', in the order given) and records what was asked.</summary>
    private sealed class FakeEvaluator(Dictionary<string, double> accuracies)
    {
        public List<string> Calls { get; } = [];

        public double AccuracyWith(IReadOnlyList<string> fp32Layers)
        {
            string key = string.Join("+", fp32Layers);
            Calls.Add(key);
            return accuracies[key];
        }
    }
}
