using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuantCluster.Messages.Serialization;
using QuantCluster.Messages.Training;
using QuantCluster.Node;

namespace QuantCluster.Tests.Cluster;

/// <summary>Every process composes its actor system with <see cref="ClusterNode"/>: it must leave Akka.Remote's frame at its default.</summary>
public sealed class ClusterNodeFrameTests
{
    [Fact]
    public async Task A_node_keeps_akkas_default_frame_and_its_serializer_guards_it()
    {
        using var host = ClusterNode.Build(new NodeSettings(new NodeAddress("127.0.0.1", 0), null, [], [ClusterRoles.Worker]), verifySerialization: false);
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var serializer = (QuantClusterSerializer)system.Serialization.FindSerializerForType(typeof(LocalGradients));

            Assert.Equal(128_000, system.Settings.Config.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size", null));
            Assert.Equal(128_000 - PayloadLimit.EnvelopeBytes, serializer.MaximumPayloadBytes);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
