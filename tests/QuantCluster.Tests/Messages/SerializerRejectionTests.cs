using System.Runtime.Serialization;
using QuantCluster.Messages.Training;

namespace QuantCluster.Tests.Messages;

public sealed class SerializerRejectionTests(SerializerFixture fixture) : IClassFixture<SerializerFixture>
{
    private readonly byte[] _frame = fixture.Serializer.ToBinary(
        new LocalGradients("job-1", 1, 2, 3, MessageSamples.Gradient(1_000, seed: 3), 0, 1_000));

    [Fact]
    public void Well_formed_frame_is_accepted()
    {
        Assert.IsType<LocalGradients>(fixture.Serializer.FromBinary(_frame, "LocalGradients"));
    }

    [Theory]
    [InlineData(5)] // first body byte: the msgpack array header
    [InlineData(2_000)] // inside the float blob, where a flip would otherwise decode to a plausible value
    public void Flipped_body_byte_is_a_crc_mismatch(int offset)
    {
        _frame[offset] ^= 0x10;

        var error = Reject(_frame, "LocalGradients");

        Assert.StartsWith("LocalGradients payload corrupt: CRC-32 mismatch (expected 0x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flipped_checksum_byte_is_a_crc_mismatch()
    {
        _frame[^1] ^= 0x01;

        Assert.Contains("CRC-32 mismatch", Reject(_frame, "LocalGradients").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2_000)]
    public void Truncated_frame_is_a_length_mismatch(int missingBytes)
    {
        var error = Reject(_frame[..^missingBytes], "LocalGradients");

        Assert.StartsWith("LocalGradients payload corrupt: header declares a ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_with_extra_bytes_is_a_length_mismatch()
    {
        var error = Reject([.. _frame, 0x00], "LocalGradients");

        Assert.Contains("header declares a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_shorter_than_its_header_is_rejected()
    {
        var error = Reject(_frame[..4], "LocalGradients");

        Assert.Equal("LocalGradients payload corrupt: 4 bytes is shorter than the 9-byte frame.", error.Message);
    }

    [Fact]
    public void Other_format_version_is_rejected()
    {
        _frame[0] = 4;

        var error = Reject(_frame, "LocalGradients");

        Assert.Equal("LocalGradients payload has wire format version 4; this node reads version 5.", error.Message);
    }

    [Fact]
    public void Unknown_manifest_is_rejected()
    {
        var error = Reject(_frame, "Gradients");

        Assert.StartsWith("Unknown manifest 'Gradients'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_that_is_not_messagepack_is_rejected_even_with_a_valid_checksum()
    {
        var error = Reject(TestFrames.Wrap([0xC1]), "LocalGradients"); // 0xC1 is the one byte msgpack never uses

        Assert.StartsWith("LocalGradients payload corrupt: body is not a readable LocalGradients", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void Body_of_another_record_is_rejected_not_decoded_into_defaults()
    {
        var fetchModel = fixture.Serializer.ToBinary(new FetchModel("job-1"));

        var error = Reject(TestFrames.Wrap(TestFrames.BodyOf(fetchModel)), "JobFailed");

        Assert.Contains("JobFailed has 1 fields on the wire, this build expects 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Float_blob_whose_length_is_not_a_multiple_of_four_is_rejected()
    {
        // [ "j", 0, 0, 0, bin8(3 bytes), 0, 1 ]
        byte[] body = [0x97, 0xA1, (byte)'j', 0x00, 0x00, 0x00, 0xC4, 0x03, 0x01, 0x02, 0x03, 0x00, 0x01];

        var error = Reject(TestFrames.Wrap(body), "LocalGradients");

        Assert.Contains("not a multiple of 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enum_value_this_build_does_not_define_is_rejected()
    {
        // QuantizationSettings [ 7, 0 ]: a seventh activation scheme, as a newer or broken node might send.
        var error = Reject(TestFrames.Wrap([0x92, 0x07, 0x00]), "QuantizationSettings");

        Assert.StartsWith("QuantizationSettings payload corrupt: body is not a readable QuantizationSettings", error.Message, StringComparison.Ordinal);
        Assert.Contains("ActivationScheme has no value 7", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Nil_body_is_rejected()
    {
        Assert.Equal(
            "FetchModel payload corrupt: body decodes to nil.",
            Reject(TestFrames.Wrap([0xC0]), "FetchModel").Message);
    }

    [Fact]
    public void Bytes_after_the_message_are_rejected()
    {
        var body = TestFrames.BodyOf(fixture.Serializer.ToBinary(new FetchModel("job-1")));

        var error = Reject(TestFrames.Wrap([.. body, 0x00]), "FetchModel");

        Assert.Equal("FetchModel payload corrupt: 1 bytes follow the message in the body.", error.Message);
    }

    private SerializationException Reject(byte[] frame, string manifest) =>
        Assert.Throws<SerializationException>(() => fixture.Serializer.FromBinary(frame, manifest));
}
