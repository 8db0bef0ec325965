using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
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
        var sent = new LocalGradients("job-tell", 1, 2, 3, MessageSamples.Gradient(GradientChunks.Floats, seed: 11), 0, 100_000);

        TestActor.Tell(sent);
        var received = ExpectMsg<LocalGradients>();

        // serialize-messages on makes Akka pass the message through ToBinary/FromBinary even locally.
        Assert.NotSame(sent, received);
        WireAssert.BitExact(sent, received);
    }

    [Fact]
    public void A_message_over_the_frame_is_dropped_with_an_error_that_names_it()
    {
        var errors = CreateTestProbe();
        Sys.EventStream.Subscribe(errors.Ref, typeof(Error));
        var values = new float[100_000];

        TestActor.Tell(new LocalGradients("job-tell", 1, 2, 3, values, 0, values.Length));

        // Akka swallows a failed verification with an error log, as Akka.Remote does with an oversized frame; the log
        // now says which message and how large, instead of the test passing on a message the wire would have dropped.
        var error = errors.FishForMessage<Error>(e => e.Cause is not null, TimeSpan.FromSeconds(5));
        Assert.Contains("LocalGradients is 400,0", error.Cause.ToString(), StringComparison.Ordinal);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
