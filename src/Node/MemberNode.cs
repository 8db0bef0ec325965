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
    /// <param name="readOptions">Reads the common options (throwing ArgumentException for a bad one).</param>
    /// <param name="prepare">Validates the role's own options (throwing ArgumentException) and returns what starts its actors.</param>
    public static async Task<int> RunAsync(
        string role, Func<MemberOptions> readOptions, Func<Action<MemberContext>> prepare, CancellationToken cancel)
    {
        try
        {
            var options = readOptions();
            var observability = options.Observability;
            Log.Logger = LogSetup.Create(null, role, observability.ConsoleJson);
            var (seed, listen) = (options.Seed, options.Listen);
            var settings = new NodeSettings(listen, options.PublicHostname, [seed], [role], options.Security.Tls);
            if (options.Security.Secret is null)
                Log.Warning("No cluster secret (--secret-file): a coordinator that requires one will refuse this node");
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
            var exit = new MemberExit(system);
            system.ActorOf(CoordinatorWatchActor.Props(exit), "coordinator-watch");
            var blobs = system.ActorOf(BlobStoreActor.Props($"{role} node {self}"), "blobs");
            start(new MemberContext(system, ActorPath.Parse($"{settings.SeedUris[0]}{ClusterRoles.RegistryPath}"), self, blobs,
                settings.PublicHostname ?? listen.Host, options.Security.Secret, exit));
            Log.Information("{Role} node {Address} started; joining seed {Seed} (giving up after {Timeout:0} s)", role, self, seed, options.JoinTimeout.TotalSeconds);
            if (!await JoinedAsync(system, options.JoinTimeout, cancel))
                exit.Fail($"could not join the cluster at seed {seed} within {options.JoinTimeout.TotalSeconds:0} s; is the coordinator running there and reachable (same TLS certificate, if any)?");
            else
                Log.Information("{Role} node {Address} joined the cluster at seed {Seed}", role, self, seed);
            await system.WhenTerminated.WaitAsync(cancel);
            if (exit.Code == 0 && CoordinatedShutdown.Get(system).ShutdownReason is CoordinatedShutdown.ClusterDowningReason)
            {
                // Downed by the split brain resolver: this node lost the coordinator's side of the cluster mid-job.
                Log.Error("This node was downed: it lost contact with the coordinator");
                return 1;
            }
            return exit.Code;
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
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A port already taken, a certificate remoting cannot use, libtorch failing to load: the log keeps the stack
            // trace, the supervisor and the person at the terminal get one line and exit 1.
            var cause = ErrorCause.Of(e);
            Log.Error(e, "{Role} node failed: {Reason}", role, cause.Message);
            await Console.Error.WriteLineAsync($"error: {cause.GetType().Name}: {cause.Message}");
            return 1;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    // Up, not merely started: a seed with no coordinator behind it would otherwise be retried for ever.
    private static async Task<bool> JoinedAsync(ActorSystem system, TimeSpan timeout, CancellationToken cancel)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        return await Task.WhenAny(up.Task, Task.Delay(timeout, cancel)) == up.Task;
    }
}

/// <summary>The options every member process has: the seed to join, where to listen, the name others reach it by.</summary>
/// <summary>
/// What a member's actors are started with: the system, the coordinator's registry, this node's address, blob store and
/// reachable host, the cluster secret they register with and how the process ends if they are refused.
/// </summary>
public sealed record MemberContext(ActorSystem System, ActorPath Registry, string Self, IActorRef Blobs, string Host, ClusterSecret? Secret, MemberExit Exit)
{
    /// <summary>What an actor of this node on <paramref name="device"/> announces to the registry.</summary>
    public Registration Registration(string device) => new(Registry, Self, device, Secret, Exit);
}
