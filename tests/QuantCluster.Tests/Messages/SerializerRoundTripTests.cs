using QuantCluster.Messages.Serialization;
using QuantCluster.Messages.Training;

namespace QuantCluster.Tests.Messages;

public sealed class SerializerRoundTripTests(SerializerFixture fixture) : IClassFixture<SerializerFixture>
{
    public static TheoryData<string> SampleTypes => [.. MessageSamples.All().Select(sample => sample.GetType().Name)];

    public static TheoryData<string> EmptyArraySampleTypes => [.. MessageSamples.WithEmptyArrays().Select(sample => sample.GetType().Name)];

    [Fact]
    public void Every_message_record_has_a_sample()
    {
        var sampled = MessageSamples.All().Select(sample => sample.GetType()).OrderBy(type => type.FullName, StringComparer.Ordinal);
        Assert.Equal(MessageSamples.RecordTypes, sampled);
    }

    [Fact]
    public void Every_message_record_has_a_short_unique_manifest()
    {
        var manifests = MessageSamples.RecordTypes.ToDictionary(type => type, type =>
        {
            var sample = MessageSamples.All().First(s => s.GetType() == type);
            return fixture.Serializer.Manifest(sample);
        });

        Assert.All(manifests, pair =>
        {
            Assert.InRange(pair.Value.Length, 1, 32);
            Assert.DoesNotContain('.', pair.Value);
            Assert.DoesNotContain(',', pair.Value);
        });
        Assert.Equal(manifests.Count, manifests.Values.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(SampleTypes))]
    public void Sample_round_trips_bit_exactly(string typeName)
    {
        var sample = MessageSamples.All().Single(s => s.GetType().Name == typeName);
        var decoded = fixture.RoundTrip(sample);
        WireAssert.BitExact(sample, decoded);
    }

    [Theory]
    [MemberData(nameof(EmptyArraySampleTypes))]
    public void Empty_arrays_round_trip_as_empty_not_null(string typeName)
    {
        var sample = MessageSamples.WithEmptyArrays().Single(s => s.GetType().Name == typeName);
        var decoded = fixture.RoundTrip(sample);
        WireAssert.BitExact(sample, decoded);
    }

    [Fact]
    public void Full_gradient_slice_round_trips_bit_exactly()
    {
        var values = MessageSamples.Gradient(GradientChunks.Floats, seed: 7);
        MessageSamples.AwkwardFloats.CopyTo(values, GradientChunks.Floats / 2);
        var sample = new LocalGradients("job-big", 2, 99, 3, values, 0, values.Length);

        var decoded = (LocalGradients)fixture.RoundTrip(sample);

        WireAssert.BitExact(sample, decoded);
    }

    [Fact]
    public void Manifest_is_the_short_name_not_the_clr_type()
    {
        Assert.Equal("LocalGradients", fixture.Serializer.Manifest(new LocalGradients("j", 0, 0, 0, [], 0, 0)));
    }

    [Fact]
    public void Serializer_refuses_a_type_it_has_no_manifest_for()
    {
        var error = Assert.Throws<ArgumentException>(() => fixture.Serializer.ToBinary(new Version(1, 0)));
        Assert.Contains("System.Version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serializer_identifier_is_4701()
    {
        Assert.Equal(4701, fixture.Serializer.Identifier);
        Assert.Equal(QuantClusterSerializer.SerializerId, fixture.Serializer.Identifier);
    }
}
