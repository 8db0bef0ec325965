using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuantCluster.Node.Blobs;
using Serilog;

namespace QuantCluster.Node;

/// <summary>
/// The life of a member process (a worker or calibration node): validate the common options, join the cluster at the
/// seed, start the node's blob store and the role's actors, and run until the actor system ends, which it does when the
/// coordinator leaves (<see cref="CoordinatorWatchActor"/>). A bad option exits 2.
/// </summary>
public static class MemberNode
{
    /// <param name="prepare">Validates the role's own options (throwing ArgumentException) and returns what starts its actors.</param>
    public static async Task<int> RunAsync(
        string role, MemberOptions options, Func<Action<MemberContext>> prepare, CancellationToken cancel)
    {
        try
        {
            var observability = options.Observability();
            Log.Logger = LogSetup.Create(null, role, observability.ConsoleJson);
            var seed = NodeAddress.Parse(OptionOrEnvironment.Get(options.Seed, "QUANTCLUSTER_SEED")
                ?? throw new ArgumentException("--seed: the coordinator's host:port is required (or QUANTCLUSTER_SEED)"), "--seed");
            var listen = NodeAddress.Parse(OptionOrEnvironment.Get(options.Listen, "QUANTCLUSTER_LISTEN") ?? "127.0.0.1:0", "--listen");
            var settings = new NodeSettings(listen, OptionOrEnvironment.Get(options.PublicHostname, "QUANTCLUSTER_PUBLIC_HOSTNAME"), [seed], [role]);
            var start = prepare();

            using var host = ClusterNode.Build(settings, verifySerialization: false);
            await host.StartAsync(cancel);
            var system = host.Services.GetRequiredService<ActorSystem>();
            var self = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();
            // Now that the address is known, every event names it: swap in a logger that says so.
            var startup = Log.Logger;
            Log.Logger = LogSetup.Create(null, role, observability.ConsoleJson, node: self);
            (startup as IDisposable)?.Dispose();
            using var telemetry = Telemetry.Start(role, self, observability.Export, observability.Prometheus);
            system.ActorOf(CoordinatorWatchActor.Props(), "coordinator-watch");
            var blobs = system.ActorOf(BlobStoreActor.Props($"{role} node {self}"), "blobs");
            start(new MemberContext(system, ActorPath.Parse($"{settings.SeedUris[0]}{ClusterRoles.RegistryPath}"), self, blobs,
                settings.PublicHostname ?? listen.Host));
            Log.Information("{Role} node {Address} joined seed {Seed}", role, self, seed);
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

/// <summary>The options every member process has: the seed to join, where to listen, the name others reach it by.</summary>
/// <param name="Observability">Reads the observability options; throws ArgumentException for a bad value, which exits 2 like any bad option.</param>
public sealed record MemberOptions(string? Seed, string? Listen, string? PublicHostname, Func<ObservabilityOptions> Observability);

/// <summary>What a member's actors are started with: the system, the coordinator's registry, this node's address, blob store and reachable host.</summary>
public sealed record MemberContext(ActorSystem System, ActorPath Registry, string Self, IActorRef Blobs, string Host);
