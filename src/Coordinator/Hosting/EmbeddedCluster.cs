using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuantCluster.CalibrationNode;
using QuantCluster.Coordinator.Jobs;
using QuantCluster.GpuWorker;
using QuantCluster.Node;
using QuantCluster.Node.Blobs;
using QuantCluster.Quantization.Data;

namespace QuantCluster.Coordinator.Hosting;

/// <summary>
/// The default deployment: one process, one actor system with the cluster provider, playing the coordinator, worker and
/// calibration roles. Actors still talk only through src/Messages, and with serialize-messages on every message is
/// serialized as if it crossed the wire, so nothing works only because it stays in one process.
/// </summary>
public static class EmbeddedCluster
{
    /// <param name="torchThreads">The torch threads the process fixed (TorchProcess.Prepare), so the replicas can say whether the plan's differ.</param>
    /// <param name="data">The coordinator's own data sets: the embedded actors read the copy it has loaded, one per process.</param>
    public static async Task<RunningCluster> StartAsync(int workers, int calibrators, int torchThreads, DataSetCache data, bool verifySerialization, CancellationToken cancel)
    {
        var settings = new NodeSettings(new NodeAddress("127.0.0.1", 0), null, [], [ClusterRoles.Coordinator, ClusterRoles.Worker, ClusterRoles.Calibration]);
        var host = ClusterNode.Build(settings, verifySerialization);
        await host.StartAsync(cancel);
        var system = host.Services.GetRequiredService<ActorSystem>();
        await JoinSelfAsync(system, cancel);
        var blobs = system.ActorOf(BlobStoreActor.Props("embedded node"), "blobs");
        // One process, so its replicas sum their shares in memory, as the devices of a worker process do.
        var process = new WorkerProcess(blobs, "127.0.0.1", new ProcessRings(), torchThreads, data);
        var workerRefs = Enumerable.Range(0, workers)
            .Select(i => system.ActorOf(TrainingWorkerActor.Props($"worker {i} (cpu)", process), $"worker-{i}")).ToArray();
        var calibratorRefs = Enumerable.Range(0, calibrators)
            .Select(i => system.ActorOf(CalibrationActor.Props($"calibration actor {i}", blobs, data), $"calibration-{i}")).ToArray();
        return new RunningCluster(host, new ClusterMembers(workerRefs, calibratorRefs, blobs, system));
    }

    // With port 0 the address is known only once remoting is up, so the node joins itself instead of naming a seed.
    private static async Task JoinSelfAsync(ActorSystem system, CancellationToken cancel)
    {
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(TimeSpan.FromSeconds(30), cancel);
    }
}
