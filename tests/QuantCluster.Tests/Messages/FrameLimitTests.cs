using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using QuantCluster.Messages;
using QuantCluster.Messages.Serialization;
using QuantCluster.Messages.Training;
using Xunit.Abstractions;

namespace QuantCluster.Tests.Messages;

/// <summary>Every message fits Akka.Remote's default 128,000-byte frame, and the serializer refuses one that would not, by name.</summary>
public sealed class FrameLimitTests(SerializerFixture fixture, ITestOutputHelper output) : IClassFixture<SerializerFixture>
{
    [Fact]
    public void Every_message_record_has_a_largest_case()
    {
        var covered = LargestMessages.All().Select(m => m.GetType()).OrderBy(t => t.FullName, StringComparer.Ordinal);
        Assert.Equal(MessageSamples.RecordTypes, covered);
    }

    [Fact]
    public void Every_message_at_its_largest_fits_the_default_frame()
    {
        Assert.Equal(PayloadLimit.DefaultFrameBytes - PayloadLimit.EnvelopeBytes, fixture.Serializer.MaximumPayloadBytes);
        foreach (var message in LargestMessages.All())
        {
            var bytes = fixture.Serializer.ToBinary(message);
            output.WriteLine($"{message.GetType().Name}: {bytes.Length:N0} bytes");
            Assert.InRange(bytes.Length, 1, PayloadLimit.DefaultFrameBytes - PayloadLimit.EnvelopeBytes);
        }
    }

    [Fact]
    public void A_failure_report_fits_once_its_reason_is_bounded_and_would_not_without()
    {
        var bounded = LargestMessages.All().OfType<JobFailed>().Single();
        var unbounded = bounded with { Reason = new string('€', 1_000_000) };

        Assert.InRange(fixture.Serializer.ToBinary(bounded).Length, 1, fixture.Serializer.MaximumPayloadBytes);
        Assert.StartsWith("JobFailed is ", Assert.Throws<SerializationException>(() => fixture.Serializer.ToBinary(unbounded)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_over_the_limit_is_refused_with_its_name_and_size()
    {
        var values = new float[1_000_000];

        var error = Assert.Throws<SerializationException>(() => fixture.Serializer.ToBinary(new LocalGradients("job", 0, 0, 0, values, 0, values.Length)));

        Assert.StartsWith("LocalGradients is 4,000,0", error.Message, StringComparison.Ordinal);
        Assert.Contains("over the 123,904-byte payload limit (maximum-frame-size 128,000 bytes less 4,096 for the envelope)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_gradient_slice_passes_and_one_float_more_than_the_limit_does_not()
    {
        var fits = new LocalGradients("job", 0, 0, 0, new float[GradientChunks.Floats], 0, GradientChunks.Floats);
        int overhead = fixture.Serializer.ToBinary(fits).Length - GradientChunks.Floats * sizeof(float);
        int tooMany = (int)((fixture.Serializer.MaximumPayloadBytes - overhead) / sizeof(float)) + 1;

        Assert.Throws<SerializationException>(() => fixture.Serializer.ToBinary(new LocalGradients("job", 0, 0, 0, new float[tooMany], 0, tooMany)));
        int justFits = fixture.Serializer.ToBinary(new LocalGradients("job", 0, 0, 0, new float[tooMany - 1], 0, tooMany)).Length;
        Assert.InRange(justFits, fixture.Serializer.MaximumPayloadBytes - sizeof(float) + 1, fixture.Serializer.MaximumPayloadBytes);
    }

    [Fact]
    public void The_limit_follows_the_configured_frame_size()
    {
        using var system = ActorSystem.Create("frame-256k", ConfigurationFactory
            .ParseString("akka.remote.dot-netty.tcp.maximum-frame-size = 256000b")
            .WithFallback(MessageSerialization.Hocon));
        var serializer = (QuantClusterSerializer)system.Serialization.FindSerializerForType(typeof(LocalGradients));

        Assert.Equal(256_000 - PayloadLimit.EnvelopeBytes, serializer.MaximumPayloadBytes);
        var values = new float[50_000];
        Assert.NotEmpty(serializer.ToBinary(new LocalGradients("job", 0, 0, 0, values, 0, values.Length)));
    }
}
