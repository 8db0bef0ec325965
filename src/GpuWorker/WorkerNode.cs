using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuantCluster.Node;
using QuantCluster.Node.Blobs;
using QuantCluster.Quantization;
using Serilog;
using TorchSharp;

namespace QuantCluster.GpuWorker;

/// <summary>A worker process: validates its options, joins the cluster and runs until stopped.</summary>
public static class WorkerNode
{
    public static async Task<int> RunAsync(string? seed, string? devices, string? listen, string? hostname, int? threads, CancellationToken cancel)
    {
        Log.Logger = LogSetup.Create(null);
        try
        {
            var seedAddress = NodeAddress.Parse(OptionOrEnvironment.Get(seed, "QUANTCLUSTER_SEED")
                ?? throw new ArgumentException("--seed: the coordinator's host:port is required (or QUANTCLUSTER_SEED)"), "--seed");
            var listenAddress = NodeAddress.Parse(OptionOrEnvironment.Get(listen, "QUANTCLUSTER_LISTEN") ?? "127.0.0.1:0", "--listen");
            var deviceList = DeviceList.Parse(OptionOrEnvironment.Get(devices, "QUANTCLUSTER_DEVICES") ?? "cpu:0", TorchBuild.CudaDeviceCount());
            int torchThreads = threads ?? (int.TryParse(Environment.GetEnvironmentVariable("QUANTCLUSTER_THREADS"), out int t) ? t : 1);
            torch.set_num_threads(torchThreads);

            var settings = new NodeSettings(listenAddress, OptionOrEnvironment.Get(hostname, "QUANTCLUSTER_PUBLIC_HOSTNAME"), [seedAddress], [ClusterRoles.Worker]);
            using var host = ClusterNode.Build(settings, verifySerialization: false);
            await host.StartAsync(cancel);
            var system = host.Services.GetRequiredService<ActorSystem>();
            var registry = ActorPath.Parse($"{settings.SeedUris[0]}{ClusterRoles.RegistryPath}");
            var self = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();
            var blobs = system.ActorOf(BlobStoreActor.Props($"worker node {self}"), "blobs");
            for (int i = 0; i < deviceList.Count; i++)
            {
                var registration = new Registration(registry, self, deviceList[i]);
                system.ActorOf(TrainingWorkerActor.Props($"worker {self} {deviceList[i]}", blobs, settings.PublicHostname ?? listenAddress.Host, registration), $"worker-{i}");
            }
            Log.Information("Worker node {Address}: {Count} replica(s) on {Devices}, {Threads} torch thread(s), seed {Seed}",
                self, deviceList.Count, string.Join(",", deviceList), torchThreads, seedAddress);
            await system.WhenTerminated.WaitAsync(cancel);
            return 0;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }
}
