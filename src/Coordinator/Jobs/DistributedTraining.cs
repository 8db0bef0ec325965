using Akka.Actor;
using QuantCluster.Coordinator.Actors;
using QuantCluster.Messages;
using QuantCluster.Messages.Models;
using QuantCluster.Messages.Training;
using Serilog;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>
/// Runs data-parallel training on the workers: every replica starts from the same snapshot, the averager sums their shares
/// each step, and at the end the coordinator takes replica 0's model (all replicas are checked identical every epoch).
/// Used for FP32 training and for QAT alike; they differ only in their settings.
/// </summary>
public sealed class DistributedTraining(ClusterMembers members, string jobId, DataSource train, ILogger log)
{
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan EpochTimeout = TimeSpan.FromMinutes(30);

    public async Task<(ModelSnapshot Model, IReadOnlyList<EpochRecord> Epochs)> RunAsync(
        string phase, ModelSnapshot start, TrainingSettings settings, int epochs, Func<int, (bool Observe, bool FreezeBn)> schedule,
        CancellationToken cancel)
    {
        var workers = members.Workers;
        var ready = await Task.WhenAll(workers.Select((w, rank) => w.Call<WorkerReady>(
            new PrepareTraining(jobId, rank, workers.Count, start, settings, train, Tracing.CurrentParent()),
            SetupTimeout, $"{phase}: preparing worker {rank}", cancel)));
        if (ready.Select(r => r.ParameterHash).Distinct().Count() != 1)
            throw new JobFailedException($"{phase}: replicas differ before training: {string.Join(", ", ready.Select(r => $"worker {r.Rank}={r.ParameterHash}"))}");

        var averager = members.System.ActorOf(GradientAveragerActor.Props(workers), $"averager-{phase}-{Guid.NewGuid():N}");
        var records = new List<EpochRecord>();
        try
        {
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                using var activity = Tracing.Source.StartActivity($"{phase}.epoch");
                activity?.SetTag("epoch", epoch);
                var (observe, freezeBn) = schedule(epoch);
                var outcome = await averager.Call<EpochOutcome>(
                    new RunEpoch(jobId, epoch, observe, freezeBn, Tracing.CurrentParent()), EpochTimeout, $"{phase} epoch {epoch + 1}", cancel);
                var record = new EpochRecord(phase, epoch + 1, outcome.Loss, outcome.Accuracy, outcome.Samples / outcome.Seconds, outcome.Seconds,
                    outcome.Replicas[0].ParameterHash);
                records.Add(record);
                log.Information("{Phase} epoch {Epoch}/{Epochs}: loss {Loss:0.0000}, train accuracy {Accuracy:P2}, {Throughput:0} samples/s, {Workers} replicas identical ({Hash})",
                    phase, epoch + 1, epochs, record.Loss, record.TrainAccuracy, record.SamplesPerSecond, workers.Count, record.ParameterHash);
            }
        }
        finally
        {
            averager.Tell(PoisonPill.Instance);
        }
        var model = await workers[0].Call<ModelSnapshot>(new FetchModel(jobId), SetupTimeout, $"{phase}: fetching the model", cancel);
        return (model, records);
    }
}

/// <summary>One epoch of one training phase, as reported.</summary>
public sealed record EpochRecord(string Phase, int Epoch, double Loss, double TrainAccuracy, double SamplesPerSecond, double Seconds, string ParameterHash);
