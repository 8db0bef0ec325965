using QuantCluster.Node;
using QuantCluster.Quantization;
using QuantCluster.Quantization.Data;
using Serilog;

namespace QuantCluster.GpuWorker;

/// <summary>A worker process: one training replica per device, each announced to the coordinator; the replicas share one place in the ring.</summary>
public static class WorkerNode
{
    public static Task<int> RunAsync(Func<MemberOptions> options, string? devices, int? threads, string? ringTransport, CancellationToken cancel) =>
        MemberNode.RunAsync(ClusterRoles.Worker, options, () =>
        {
            int torchThreads = OptionOrEnvironment.GetInt(threads, "--threads", "QUANTCLUSTER_THREADS", atLeast: 1) ?? 1;
            TorchProcess.Prepare(torchThreads); // before anything loads libtorch (a CUDA build's device count does)
            var deviceList = DeviceList.Parse(OptionOrEnvironment.Get(devices, "QUANTCLUSTER_DEVICES") ?? "cpu:0", TorchBuild.CudaDeviceCount());
            var transports = RingTransports.Parse(OptionOrEnvironment.Get(ringTransport, "QUANTCLUSTER_RING_TRANSPORT") ?? "auto");
            return node =>
            {
                var rings = new ProcessRings(transports);
                var data = new DataSetCache();
                for (int i = 0; i < deviceList.Count; i++)
                {
                    var registration = node.Registration(deviceList[i]);
                    node.System.ActorOf(TrainingWorkerActor.Props($"worker {node.Self} {deviceList[i]}", node.Blobs, node.Host, rings, data, registration), $"worker-{i}");
                }
                Log.Information("{Count} replica(s) on {Devices}, {Threads} torch thread(s)", deviceList.Count, string.Join(",", deviceList), torchThreads);
            };
        }, cancel);
}
