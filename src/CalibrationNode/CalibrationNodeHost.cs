using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuantCluster.Node;
using Serilog;
using TorchSharp;

namespace QuantCluster.CalibrationNode;

/// <summary>A calibration process: validates its options, joins the cluster and runs until stopped.</summary>
public static class CalibrationNodeHost
{
    public static async Task<int> RunAsync(string? seed, int? actors, string? listen, string? hostname, CancellationToken cancel)
    {
        Log.Logger = LogSetup.Create(null);
        try
        {
            var seedAddress = NodeAddress.Parse(OptionOrEnvironment.Get(seed, "QUANTCLUSTER_SEED")
                ?? throw new ArgumentException("--seed: the coordinator's host:port is required (or QUANTCLUSTER_SEED)"), "--seed");
            var listenAddress = NodeAddress.Parse(OptionOrEnvironment.Get(listen, "QUANTCLUSTER_LISTEN") ?? "127.0.0.1:0", "--listen");
            int count = actors ?? (int.TryParse(Environment.GetEnvironmentVariable("QUANTCLUSTER_ACTORS"), out int a) ? a : 1);
            if (count < 1) throw new ArgumentException($"--actors: {count}; give at least 1");
            torch.set_num_threads(1);

            var settings = new NodeSettings(listenAddress, OptionOrEnvironment.Get(hostname, "QUANTCLUSTER_PUBLIC_HOSTNAME"), [seedAddress], [ClusterRoles.Calibration]);
            using var host = ClusterNode.Build(settings, verifySerialization: false);
            await host.StartAsync(cancel);
            var system = host.Services.GetRequiredService<ActorSystem>();
            var registry = ActorPath.Parse($"{settings.SeedUris[0]}{ClusterRoles.RegistryPath}");
            var self = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();
            for (int i = 0; i < count; i++)
                system.ActorOf(CalibrationActor.Props($"calibration {self} #{i}", new Registration(registry, self, $"cpu:{i}")), $"calibration-{i}");
            Log.Information("Calibration node {Address}: {Count} actor(s), seed {Seed}", self, count, seedAddress);
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
