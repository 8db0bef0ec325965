using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuantCluster.Coordinator.Actors;
using QuantCluster.Coordinator.Jobs;
using QuantCluster.Node;
using QuantCluster.Node.Blobs;
using Serilog;

namespace QuantCluster.Coordinator.Hosting;

/// <summary>
/// The coordinator of a real cluster: it is the seed node, keeps the registry that workers and calibration actors on other
/// processes announce themselves to, and waits until the expected members are there (or says who is missing).
/// </summary>
public static class DistributedCluster
{
    public static async Task<RunningCluster> StartAsync(DistributedOptions options, ILogger log, CancellationToken cancel)
    {
        var settings = new NodeSettings(options.Listen, options.PublicHostname, [new NodeAddress(options.PublicHostname ?? options.Listen.Host, options.Listen.Port)],
            [ClusterRoles.Coordinator], options.Security.Tls);
        if (options.Security.Secret is null)
            log.Warning("No cluster secret (--secret-file): any process that reaches {Listen} may register as a member", options.Listen);
        if (options.Security.Tls is null && options.Listen.Host is not ("127.0.0.1" or "localhost" or "::1"))
            log.Warning("Remoting on {Listen} is plain TCP (no --tls-certificate): job data and models cross the network unencrypted", options.Listen);
        var host = ClusterNode.Build(settings, verifySerialization: false);
        await host.StartAsync(cancel);
        var system = host.Services.GetRequiredService<ActorSystem>();
        var blobs = system.ActorOf(BlobStoreActor.Props("coordinator"), "blobs");
        var registry = system.ActorOf(MemberRegistryActor.Props(options.Security.Secret), ClusterRoles.RegistryPath.Split('/')[^1]);
        log.Information("Coordinator listening on {Address}; waiting up to {Timeout:0} s for {Workers} worker replica(s) and {Calibrators} calibration actor(s)",
            options.Listen, options.JoinTimeout.TotalSeconds, options.Workers, options.Calibrators);
        try
        {
            var members = await WaitForMembersAsync(registry, options, log, cancel);
            return new RunningCluster(host, new ClusterMembers(
                [.. members.Workers.Take(options.Workers).Select(m => m.Actor)],
                [.. members.Calibrators.Take(options.Calibrators).Select(m => m.Actor)],
                blobs,
                system));
        }
        catch
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
            throw;
        }
    }

    private static async Task<MemberList> WaitForMembersAsync(IActorRef registry, DistributedOptions options, ILogger log, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + options.JoinTimeout;
        int seenWorkers = -1, seenCalibrators = -1;
        while (true)
        {
            var members = await registry.Ask<MemberList>(new ListMembers(), TimeSpan.FromSeconds(5), cancel);
            if (members.Workers.Count != seenWorkers || members.Calibrators.Count != seenCalibrators)
            {
                (seenWorkers, seenCalibrators) = (members.Workers.Count, members.Calibrators.Count);
                log.Information("Members: {Workers}/{ExpectedWorkers} worker replica(s), {Calibrators}/{ExpectedCalibrators} calibration actor(s)",
                    seenWorkers, options.Workers, seenCalibrators, options.Calibrators);
            }
            if (members.Workers.Count >= options.Workers && members.Calibrators.Count >= options.Calibrators) return members;
            if (DateTime.UtcNow > deadline)
                throw new JobFailedException(
                    $"after {options.JoinTimeout.TotalSeconds:0} s the cluster has {members.Workers.Count} of {options.Workers} worker replicas " +
                    $"({Describe(members.Workers)}) and {members.Calibrators.Count} of {options.Calibrators} calibration actors ({Describe(members.Calibrators)}); " +
                    $"start the missing ones with --seed {options.PublicHostname ?? options.Listen.Host}:{options.Listen.Port}");
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancel);
        }
    }

    private static string Describe(IReadOnlyList<(IActorRef Actor, Messages.Membership.RegisterMember Member)> members) =>
        members.Count == 0 ? "none" : string.Join(", ", members.Select(m => $"{m.Member.Device} on {m.Member.Node}"));
}
