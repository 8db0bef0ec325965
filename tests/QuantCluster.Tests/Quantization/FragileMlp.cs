using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Quantization.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantCluster.Tests.Quantization;

/// <summary>
/// An MLP trained for one epoch on the shipped digits, with its first fully connected layer made fragile: every output row
/// gets a weight of 1000 x the layer's largest |w| on input pixel 0, which is 0 in every MNIST digit. The FP32 model still
/// computes what it did, but each channel's int8 scale becomes so coarse that all its other weights round to 0, so INT8
/// wipes that layer out while the other layers quantize as usual.
/// </summary>
internal static class FragileMlp
{
    public const string FragileLayer = "layer1";

    public static QuantizableNetwork Train(LabeledImages train)
    {
        var network = new QuantizableNetwork("mlp", ActivationScheme.AsymmetricUInt8, seed: 1);
        var options = new TrainingOptions(false, ActivationScheme.AsymmetricUInt8, WeightGranularity.PerChannel, OptimizerChoice.Adam,
            LearningRate: 3e-3, Epochs: 1, GlobalBatchSize: 64, Seed: 2, Device: "cpu", AugmentShift: 0);
        using (var trainer = new ReplicaTrainer(network, train, options, rank: 0, worldSize: 1))
        {
            trainer.BeginEpoch(0, observeActivations: false, freezeBatchNorm: false);
            for (int step = 0; step < trainer.Steps; step++) trainer.ApplySum(trainer.ComputeShare(step));
        }
        network.eval();
        MakeFragile(network);
        return network;
    }

    private static void MakeFragile(QuantizableNetwork network)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var weight = network.named_parameters().Single(p => p.name == $"{FragileLayer}.linear.weight").parameter;
        using var outlier = (1000 * weight.abs().max().item<float>()).ToScalar();
        weight.select(1, 0).fill_(outlier);
    }
}
