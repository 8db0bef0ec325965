using Akka.Cluster.Hosting;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuantCluster.Messages.Serialization;

namespace QuantCluster.Node;

/// <summary>
/// The one place a process's actor system is composed: remoting, clustering, the binary message serializer, Serilog as
/// Akka's logger, and the failure detector. Every process (coordinator, worker, calibration, embedded) builds on it.
/// </summary>
/// <remarks>
/// Akka.Remote keeps its default 128,000-byte frame: every message is bounded well below it (bulk data goes through the
/// blob store or in slices) and the serializer refuses one that is not (<see cref="PayloadLimit"/>).
/// </remarks>
public static class ClusterNode
{
    /// <exception cref="ArgumentException">The listen address is taken or not this machine's.</exception>
    public static IHost Build(NodeSettings settings, bool verifySerialization, Action<AkkaConfigurationBuilder, IServiceProvider>? actors = null)
    {
        ListenAddress.CheckFree(settings.Listen, "--listen");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAkka(NodeSettings.SystemName, (akka, services) =>
        {
            akka.AddHocon(MessageSerialization.Hocon, HoconAddMode.Prepend)
                .AddHocon(ConfigurationFactory.ParseString($$"""
                    akka.actor.serialize-messages = {{(verifySerialization ? "on" : "off")}}
                    # A replica busy in a long torch call must not look dead: allow long pauses before a node is unreachable.
                    akka.cluster.failure-detector.acceptable-heartbeat-pause = 10s
                    # The coordinator's side of a partition is the one that lives: it holds the job. A member cut off from
                    # it downs itself (and exits 1); an unreachable member is downed 5 s after the cluster settles, so a
                    # job notices a dead node about 15-20 s after it died instead of Akka's default of about 30.
                    akka.cluster.split-brain-resolver.active-strategy = keep-oldest
                    akka.cluster.split-brain-resolver.keep-oldest.role = "{{ClusterRoles.Coordinator}}"
                    akka.cluster.split-brain-resolver.keep-oldest.down-if-alone = off
                    akka.cluster.split-brain-resolver.stable-after = 5s
                    """), HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLogger<SerilogLogger>();
                })
                .WithRemoting(Remoting(settings))
                .WithClustering(new ClusterOptions { Roles = [.. settings.Roles], SeedNodes = [.. settings.SeedUris] });
            actors?.Invoke(akka, services);
        });
        return builder.Build();
    }

    private static RemoteOptions Remoting(NodeSettings settings)
    {
        var remoting = new RemoteOptions { HostName = settings.Listen.Host, Port = settings.Listen.Port, PublicHostName = settings.PublicHostname };
        if (settings.Tls is { } tls) (remoting.EnableSsl, remoting.Ssl) = (true, tls.Options());
        return remoting;
    }
}
