using QuantCluster.Messages;
using QuantCluster.Messages.Training;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Training;

namespace QuantCluster.GpuWorker;

/// <summary>What a worker holds between PrepareTraining and the next phase: the network, its trainer and the job it trains for.</summary>
internal sealed class Replica : IDisposable
{
    private Replica(QuantizableNetwork network, ReplicaTrainer trainer, PrepareTraining job)
    {
        Network = network;
        Trainer = trainer;
        Job = job;
    }

    public QuantizableNetwork Network { get; }

    public ReplicaTrainer Trainer { get; }

    public PrepareTraining Job { get; }

    /// <summary>Takes ownership of network and trains it on training, as m says, on device.</summary>
    public static Replica Create(QuantizableNetwork network, LabeledImages training, PrepareTraining m, TrainingDevice device)
    {
        var settings = m.Settings;
        var options = new TrainingOptions(
            settings.FakeQuantize, settings.Quantization.Activations, settings.Quantization.Weights, settings.Optimizer,
            settings.LearningRate, settings.Epochs, settings.GlobalBatchSize, settings.Seed, device.TorchName, settings.AugmentShift);
        try
        {
            return new Replica(network, new ReplicaTrainer(network, training, options, m.Rank, m.WorldSize), m);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>This replica's report of an epoch that ended; records its throughput and duration as metrics.</summary>
    public EpochCompleted Completed(int epoch, double seconds)
    {
        var rank = new KeyValuePair<string, object?>("rank", Job.Rank);
        Metrics.TrainingSamples.Add(Trainer.Samples, rank);
        Metrics.EpochDuration.Record(seconds, rank);
        return new EpochCompleted(Job.JobId, Job.Rank, epoch, Trainer.LossSum, Trainer.Correct, Trainer.Samples, ParameterHash.Of(Network), seconds,
            PeakWorkingSet());
    }

    public void Dispose()
    {
        Trainer.Dispose();
        Network.Dispose();
    }

    private static long PeakWorkingSet()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
