using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Quantization.Training;

namespace QuantCluster.Tests.Quantization;

/// <summary>Data-parallel replicas that apply the same summed shares must stay bit-identical and train like one replica.</summary>
[Collection(TorchTests.Name)]
public sealed class ReplicaTrainerTests
{
    private const int GlobalBatch = 16;
    private const int NetworkSeed = 12;
    private const float Tolerance = 1e-5f;

    // 72 samples: 5 steps, the last one 8 samples, which 3 replicas split 2 + 3 + 3.
    private readonly LabeledImages data = SyntheticData.Images(72, seed: 51);

    [Theory]
    [InlineData(OptimizerChoice.Adam, 2)]
    [InlineData(OptimizerChoice.Adam, 3)]
    [InlineData(OptimizerChoice.Sgd, 3)]
    public void Replicas_stay_bit_identical_and_match_a_single_replica(OptimizerChoice optimizer, int worldSize)
    {
        var options = new TrainingOptions(
            FakeQuantize: false, ActivationScheme.AsymmetricUInt8, WeightGranularity.PerChannel, optimizer,
            LearningRate: optimizer == OptimizerChoice.Adam ? 1e-3 : 0.05, Epochs: 2, GlobalBatch, Seed: 6, Device: "cpu", AugmentShift: 1);
        var networks = Enumerable.Range(0, worldSize + 1).Select(_ => new QuantizableNetwork("lenet", ActivationScheme.AsymmetricUInt8, NetworkSeed)).ToArray();
        try
        {
            string initial = ParameterHash.Of(networks[0]);
            var replicas = Enumerable.Range(0, worldSize).Select(rank => new ReplicaTrainer(networks[rank], data, options, rank, worldSize)).ToArray();
            using var single = new ReplicaTrainer(networks[worldSize], data, options, 0, 1);
            try
            {
                for (int epoch = 0; epoch < 2; epoch++)
                {
                    foreach (var replica in replicas) replica.BeginEpoch(epoch, observeActivations: false, freezeBatchNorm: false);
                    single.BeginEpoch(epoch, observeActivations: false, freezeBatchNorm: false);
                    Assert.Equal(5, single.Steps);
                    for (int step = 0; step < single.Steps; step++)
                    {
                        float[] sum = Sum([.. replicas.Select(r => r.ComputeShare(step))]);
                        foreach (var replica in replicas) replica.ApplySum(sum);
                        single.ApplySum(single.ComputeShare(step));
                    }
                    Assert.Equal(data.Count, replicas.Sum(r => r.Samples));
                    Assert.Equal(data.Count, single.Samples);
                    Assert.Equal(single.LossSum, replicas.Sum(r => r.LossSum), 1e-3);
                }
            }
            finally
            {
                foreach (var replica in replicas) replica.Dispose();
            }

            string[] hashes = [.. networks.Take(worldSize).Select(ParameterHash.Of)];
            Assert.All(hashes, h => Assert.Equal(hashes[0], h));
            Assert.NotEqual(initial, hashes[0]);
            AssertParametersClose(networks[worldSize], networks[0]);
        }
        finally
        {
            foreach (var network in networks) network.Dispose();
        }
    }

    [Fact]
    public void A_sum_that_is_not_finite_stops_training_at_that_step_naming_epoch_and_step()
    {
        var options = new TrainingOptions(false, ActivationScheme.AsymmetricUInt8, WeightGranularity.PerChannel, OptimizerChoice.Sgd, 0.1, 1, GlobalBatch, 6, "cpu", 0);
        using var network = new QuantizableNetwork("lenet", ActivationScheme.AsymmetricUInt8, NetworkSeed);
        using var trainer = new ReplicaTrainer(network, data, options, 0, 1);
        trainer.BeginEpoch(0, observeActivations: false, freezeBatchNorm: false);
        trainer.ApplySum(trainer.ComputeShare(0));
        string before = ParameterHash.Of(network);
        float[] share = trainer.ComputeShare(1);
        share[3] = float.NaN;
        share[^1] = float.PositiveInfinity;

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.ApplySum(share));

        Assert.StartsWith($"training diverged at epoch 1, step 2 of 5: 2 of {share.Length} summed gradient and buffer values are not finite", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, ParameterHash.Of(network));
    }

    [Fact]
    public void A_loss_that_is_not_finite_stops_training_before_the_exchange()
    {
        var options = new TrainingOptions(false, ActivationScheme.AsymmetricUInt8, WeightGranularity.PerChannel, OptimizerChoice.Adam, 1e-3, 2, GlobalBatch, 6, "cpu", 0);
        using var network = new QuantizableNetwork("lenet", ActivationScheme.AsymmetricUInt8, NetworkSeed);
        using (TorchSharp.torch.no_grad())
        {
            network.parameters().Last().fill_(float.NaN); // the last layer's bias: every logit is NaN
        }
        using var trainer = new ReplicaTrainer(network, data, options, 0, 1);
        trainer.BeginEpoch(1, observeActivations: false, freezeBatchNorm: false);

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.ComputeShare(0));

        Assert.StartsWith("training diverged at epoch 2, step 1 of 5: the loss is NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sum_of_the_wrong_length_is_rejected()
    {
        var options = new TrainingOptions(false, ActivationScheme.AsymmetricUInt8, WeightGranularity.PerChannel, OptimizerChoice.Sgd, 0.1, 1, GlobalBatch, 6, "cpu", 0);
        using var network = new QuantizableNetwork("lenet", ActivationScheme.AsymmetricUInt8, NetworkSeed);
        using var trainer = new ReplicaTrainer(network, data, options, 0, 1);
        trainer.BeginEpoch(0, observeActivations: false, freezeBatchNorm: false);
        float[] share = trainer.ComputeShare(0);

        var error = Assert.Throws<ArgumentException>(() => trainer.ApplySum(share[..^1]));

        Assert.Contains($"{share.Length - 1} values", error.Message, StringComparison.Ordinal);
    }

    private static float[] Sum(float[][] shares)
    {
        var sum = new float[shares[0].Length];
        foreach (var share in shares)
        {
            Assert.Equal(sum.Length, share.Length);
            for (int i = 0; i < sum.Length; i++) sum[i] += share[i];
        }
        return sum;
    }

    private static void AssertParametersClose(QuantizableNetwork expected, QuantizableNetwork actual)
    {
        var pairs = expected.named_parameters().Zip(actual.named_parameters()).ToList();
        Assert.NotEmpty(pairs);
        foreach (var ((name, e), (otherName, a)) in pairs)
        {
            Assert.Equal(name, otherName);
            float[] ev = e.data<float>().ToArray(), av = a.data<float>().ToArray();
            double worst = ev.Zip(av, (x, y) => Math.Abs(x - y)).Max();
            Assert.True(worst <= Tolerance, $"{name}: replicas differ from a single replica by up to {worst:E2}");
        }
    }
}
