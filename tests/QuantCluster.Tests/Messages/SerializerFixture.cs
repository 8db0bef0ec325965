using Akka.Actor;
using QuantCluster.Messages.Serialization;
using QuantCluster.Messages.Training;

namespace QuantCluster.Tests.Messages;

/// <summary>One actor system configured with <see cref="MessageSerialization.Hocon"/>, shared by a test class.</summary>
public sealed class SerializerFixture : IDisposable
{
    public ActorSystem System { get; } = ActorSystem.Create("serializer-tests", MessageSerialization.Hocon);

    /// <summary>The instance Akka built from the config, so the tests exercise what a node would use.</summary>
    public QuantClusterSerializer Serializer =>
        (QuantClusterSerializer)System.Serialization.FindSerializerForType(typeof(LocalGradients));

    public object RoundTrip(object message)
    {
        var bytes = Serializer.ToBinary(message);
        return Serializer.FromBinary(bytes, Serializer.Manifest(message));
    }

    public void Dispose() => System.Dispose();
}
