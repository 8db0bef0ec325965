using Akka.Actor;
using Akka.Configuration;
using QuantCluster.Messages.Serialization;
using QuantCluster.Messages.Training;

namespace QuantCluster.Tests.Messages;

/// <summary>Checks the bindings through a real actor system, where a forgotten binding would silently fall back to JSON.</summary>
public sealed class SerializerBindingTests() : Akka.TestKit.Xunit2.TestKit(Config)
{
    private static readonly Config Config = ConfigurationFactory
        .ParseString("akka.actor.serialize-messages = on")
        .WithFallback(MessageSerialization.Hocon);

    public static TheoryData<string> RecordTypeNames => [.. MessageSamples.RecordTypes.Select(type => type.Name)];

    [Theory]
    [MemberData(nameof(RecordTypeNames))]
    public void Every_message_record_is_bound_to_the_quantcluster_serializer(string typeName)
    {
        var sample = MessageSamples.All().Single(s => s.GetType().Name == typeName);

        var serializer = Sys.Serialization.FindSerializerFor(sample);

        Assert.IsType<QuantClusterSerializer>(serializer);
        Assert.Equal(QuantClusterSerializer.SerializerId, serializer.Identifier);
    }

    [Fact]
    public void A_gradient_sent_between_actors_arrives_as_a_decoded_copy()
    {
        var sent = new LocalGradients("job-tell", 1, 2, 3, MessageSamples.Gradient(100_000, seed: 11), 0, 100_000);

        TestActor.Tell(sent);
        var received = ExpectMsg<LocalGradients>();

        // serialize-messages on makes Akka pass the message through ToBinary/FromBinary even locally.
        Assert.NotSame(sent, received);
        WireAssert.BitExact(sent, received);
    }
}
