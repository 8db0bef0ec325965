using QuantCluster.Quantization.Calibration;
using QuantCluster.Quantization.Conversion;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Evaluation;
using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Quantization.Training;

namespace QuantCluster.Tests.Quantization;

/// <summary>
/// Samples of another shape than the zoo's: 3 channels of 12 x 10 (not square), normalized. Training with augmentation,
/// sharded calibration, the validation view, sensitivity and the integer executor all take them.
/// </summary>
[Collection(TorchTests.Name)]
public sealed class ColourImageTests
{
    private const int Count = 96;

    private static readonly ModelSignature Rgb = new([3, 12, 10], 5);

    // conv 3->4 3x3 pad 1 (12x10), pool (6x5), fc 120->5.
    private static readonly LayerSpec[] Specs =
    [
        new ConvSpec(3, 4, 3, 1, 1, 1, false, FusedActivation.Relu),
        new MaxPoolSpec(2, 2),
        new FlattenSpec(),
        new LinearSpec(4 * 6 * 5, 5, FusedActivation.None),
    ];

    private readonly LabeledImages data;

    public ColourImageTests()
    {
        var rng = new Random(17);
        var values = new byte[Count * 3 * 12 * 10];
        rng.NextBytes(values);
        int[] labels = [.. Enumerable.Range(0, Count).Select(i => i % 5)];
        data = new LabeledImages(new ImageShape(3, 12, 10), new ByteValues(values), labels, new Normalization([0.5f, 0.4f, 0.3f], [0.25f, 0.2f, 0.3f]));
    }

    [Fact]
    public void Sharded_calibration_of_colour_samples_merges_to_the_one_shard_ranges()
    {
        using var network = Network();
        int[] samples = [.. Enumerable.Range(0, 64)];
        var points = network.QuantizationPoints.Select(p => p.Name).ToArray();

        var whole = ShardCalibrator.Observe(network, data, samples, batchSize: 16);
        var shards = new[] { samples[..24], samples[24..] }
            .Select(s => ShardCalibrator.Observe(network, data, s, batchSize: 16))
            .Select(r => (r.Select(x => x.Name).ToArray(), r.Select(x => x.Range.Min).ToArray(), r.Select(x => x.Range.Max).ToArray()));
        var merged = RangeMerge.Merge(points, shards);

        Assert.Equal(whole.Select(w => (w.Range.Min, w.Range.Max)), merged.Select(m => (m.Min, m.Max)));
        // The input point sees normalized values: below 0 where a channel's pixel is under its mean.
        Assert.True(whole[0].Range.Min < 0);
    }

    [Fact]
    public void The_integer_model_of_a_colour_network_takes_its_input_shape_and_follows_the_fake_quantized_network()
    {
        using var network = Network();
        ShardCalibrator.Observe(network, data, [.. Enumerable.Range(0, Count)], batchSize: 32);
        network.Configure(ObserverMode.Off, fakeQuantize: true, WeightGranularity.PerChannel);
        int[] fakeQuant = TorchPredictor.Predict(network, data, batchSize: 32);

        var model = Int8Converter.Convert(network, WeightGranularity.PerChannel);
        int[] integer = new IntegerExecutor(maxDegreeOfParallelism: 1).Predict(model, data.Inputs([.. Enumerable.Range(0, Count)]), Count);

        Assert.Equal([3, 12, 10], model.InputShape);
        // Rounding differs by a few LSBs at most; only near-ties between two logits can flip a prediction.
        Assert.True(Accuracy.Agreement(fakeQuant, integer) >= 0.9, $"agreement {Accuracy.Agreement(fakeQuant, integer):P1}");
    }

    [Fact]
    public void Sensitivity_is_measured_on_a_view_of_held_out_colour_samples()
    {
        using var network = Network();
        ShardCalibrator.Observe(network, data, [.. Enumerable.Range(0, Count)], batchSize: 32);
        var split = DataSplit.HoldOut(Count, 32, seed: 3);
        var validation = data.View(split.Validation);

        var layers = SensitivityAnalysis.Measure(network, validation, [.. Enumerable.Range(0, validation.Count)], batchSize: 16, WeightGranularity.PerChannel);

        Assert.Equal(["layer0", "layer3"], layers.Select(l => l.Layer));
        Assert.All(layers, l => Assert.True(l.SqnrDb is double sqnr && double.IsFinite(sqnr) && sqnr > 0, $"{l.Layer}: SQNR {l.SqnrDb}"));
    }

    [Fact]
    public void A_replica_trains_on_shifted_colour_samples_without_the_held_out_ones()
    {
        using var network = Network();
        var training = DataSplit.HoldOut(Count, 16, seed: 3).TrainingImages(data);
        var options = new TrainingOptions(false, ActivationScheme.AsymmetricUInt8, WeightGranularity.PerChannel, OptimizerChoice.Adam,
            LearningRate: 1e-3, Epochs: 1, GlobalBatchSize: 16, Seed: 1, Device: "cpu", AugmentShift: 1);
        using var trainer = new ReplicaTrainer(network, training, options, rank: 0, worldSize: 1);
        string before = ParameterHash.Of(network);

        trainer.BeginEpoch(0, observeActivations: false, freezeBatchNorm: false);
        for (int step = 0; step < trainer.Steps; step++) trainer.ApplySum(trainer.ComputeShare(step));

        Assert.Equal(Count - 16, trainer.Samples);
        Assert.True(double.IsFinite(trainer.LossSum));
        Assert.NotEqual(before, ParameterHash.Of(network));
    }

    private static QuantizableNetwork Network() => new("rgb-test", Specs, Rgb, ActivationScheme.AsymmetricUInt8, seed: 5);
}
