using QuantCluster.Messages.Training;
using Xunit.Abstractions;

namespace QuantCluster.Tests.Messages;

public sealed class PayloadSizeTests(SerializerFixture fixture, ITestOutputHelper output) : IClassFixture<SerializerFixture>
{
    [Fact]
    public void A_gradient_slice_takes_four_bytes_per_float_not_twenty()
    {
        var message = new LocalGradients("job-1", 1, 2, 3, MessageSamples.Gradient(GradientChunks.Floats, seed: 5), 0, 1_000_000);

        var bytes = fixture.Serializer.ToBinary(message);

        // 4 bytes per float, plus the frame and a few dozen bytes of header fields.
        Assert.InRange(bytes.Length, GradientChunks.Floats * 4, GradientChunks.Floats * 4 + 100);
        output.WriteLine($"{GradientChunks.Floats:N0} floats: {bytes.Length:N0} bytes");
    }
}
