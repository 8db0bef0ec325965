using Akka.Actor;
using QuantCluster.Coordinator.Actors;
using QuantCluster.Messages;
using QuantCluster.Messages.Models;
using QuantCluster.Messages.Training;
using Serilog;

namespace QuantCluster.Coordinator.Jobs;

/// <summary>
/// Runs data-parallel training on the workers: every replica starts from the same snapshot, the replicas' shares are summed
/// each step (in each process, then over the processes' own ring all-reduce; or at the averager), and at the end the
/// coordinator takes replica 0's model (all replicas are checked identical every epoch by the averager).
/// Used for FP32 training and for QAT alike; they differ only in their settings.
/// </summary>
public sealed class DistributedTraining(ClusterMembers members, string jobId, DataSource train, bool ringExchange, ILogger log)
{
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan EpochTimeout = TimeSpan.FromMinutes(30);

    public async Task<(ModelSnapshot Model, IReadOnlyList<EpochRecord> Epochs)> RunAsync(
        string phase, ModelSnapshot start, TrainingSettings settings, int epochs, Func<int, (bool Observe, bool FreezeBn)> schedule,
        CancellationToken cancel)
    {
        var workers = members.Workers;
        var ready = await Task.WhenAll(workers.Select((w, rank) => w.Call<WorkerReady>(members.System,
            new PrepareTraining(jobId, rank, workers.Count, start, settings, train, Tracing.CurrentParent()),
            SetupTimeout, $"{phase}: preparing worker {rank}", cancel)));
        if (ready.Select(r => r.ParameterHash).Distinct().Count() != 1)
            throw new JobFailedException($"{phase}: replicas differ before training: {string.Join(", ", ready.Select(r => $"worker {r.Rank}={r.ParameterHash}"))}");

        if (ringExchange && workers.Count > 1) await ConnectRingAsync(phase, cancel);

        var averager = members.System.ActorOf(GradientAveragerActor.Props(workers), $"averager-{phase}-{Guid.NewGuid():N}");
        var records = new List<EpochRecord>();
        try
        {
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                using var activity = Tracing.Source.StartActivity($"{phase}.epoch");
                activity?.SetTag("epoch", epoch);
                var (observe, freezeBn) = schedule(epoch);
                var outcome = await averager.Call<EpochOutcome>(members.System,
                    new RunEpoch(jobId, epoch, observe, freezeBn, Tracing.CurrentParent()), EpochTimeout, $"{phase} epoch {epoch + 1}", cancel);
                var record = new EpochRecord(phase, epoch + 1, outcome.Loss, outcome.Accuracy, outcome.Samples / outcome.Seconds, outcome.Seconds,
                    outcome.Replicas[0].ParameterHash, outcome.Replicas.Max(r => r.PeakWorkingSetBytes));
                records.Add(record);
                log.Information("{Phase} epoch {Epoch}/{Epochs}: loss {Loss:0.0000}, train accuracy {Accuracy:P2}, {Throughput:0} samples/s, {Workers} replicas identical ({Hash}), worker peak {Memory:0} MB",
                    phase, epoch + 1, epochs, record.Loss, record.TrainAccuracy, record.SamplesPerSecond, workers.Count, record.ParameterHash,
                    record.WorkerPeakBytes / 1e6);
            }
        }
        finally
        {
            averager.Tell(PoisonPill.Instance);
        }
        var model = await workers[0].Call<ModelSnapshot>(members.System, new FetchModel(jobId), SetupTimeout, $"{phase}: fetching the model", cancel);
        return (model, records);
    }

    // The workers of one process (a worker node's devices, or the whole embedded cluster) share its one place in the ring
    // and sum their shares in memory first. Every process listens, then every process connects to its successor while
    // accepting its predecessor: the connects must run at once, or each would wait for a neighbour that has not started.
    private async Task ConnectRingAsync(string phase, CancellationToken cancel)
    {
        var workers = members.Workers;
        var places = RingLayout.Of([.. workers.Select(w => w.Path.Address)]);
        string ring = $"{jobId}-{phase}";
        var opened = await Task.WhenAll(workers.Select((w, rank) => w.Call<RingEndpoint>(members.System,
            new OpenRing(jobId, places[rank].Process, places[rank].Processes, ring, places[rank].LocalIndex, places[rank].LocalReplicas,
                places[rank].FirstReplica, places[rank].Replicas),
            SetupTimeout, $"{phase}: opening the ring on worker {rank}", cancel)));
        var endpoints = Enumerable.Range(0, places[0].Processes).Select(p => opened.First(e => e.Rank == p)).ToArray();
        await Task.WhenAll(workers.Select((w, rank) =>
        {
            var next = endpoints[(places[rank].Process + 1) % endpoints.Length];
            return w.Call<RingReady>(members.System, new ConnectRing(jobId, next.Host, next.Port), SetupTimeout, $"{phase}: connecting the ring on worker {rank}", cancel);
        }));
        if (endpoints.Length == 1)
            log.Information("{Phase}: the {Workers} workers share one process and sum their gradients in memory, no ring", phase, workers.Count);
        else
            log.Information("{Phase}: ring all-reduce connected over {Processes} processes holding {Workers} workers ({Endpoints})", phase,
                endpoints.Length, workers.Count, string.Join(" -> ", endpoints.Select((e, p) => $"{e.Host}:{e.Port} x{places.Count(x => x.Process == p)}")));
    }
}

/// <summary>One epoch of one training phase, as reported; WorkerPeakBytes is the largest worker process's peak working set so far.</summary>
public sealed record EpochRecord(
    string Phase, int Epoch, double Loss, double TrainAccuracy, double SamplesPerSecond, double Seconds, string ParameterHash, long WorkerPeakBytes);
