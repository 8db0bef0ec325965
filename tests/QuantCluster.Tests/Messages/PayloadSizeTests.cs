using System.Diagnostics;
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

    [Fact]
    public void Million_float_round_trip_time_is_reported()
    {
        var slices = GradientChunks.Split(MessageSamples.Gradient(1_000_000, seed: 5))
            .Select(s => new LocalGradients("job-1", 1, 2, 3, s.Values, s.Offset, 1_000_000)).ToArray();
        _ = fixture.RoundTrip(slices[0]); // warm up the generated formatters and the JIT

        const int runs = 20;
        var serialize = TimeSpan.Zero;
        var deserialize = TimeSpan.Zero;
        for (var i = 0; i < runs; i++)
        {
            foreach (var slice in slices)
            {
                var start = Stopwatch.GetTimestamp();
                var bytes = fixture.Serializer.ToBinary(slice);
                var middle = Stopwatch.GetTimestamp();
                _ = fixture.Serializer.FromBinary(bytes, "LocalGradients");
                serialize += Stopwatch.GetElapsedTime(start, middle);
                deserialize += Stopwatch.GetElapsedTime(middle);
            }
        }

        // Reported rather than asserted: a shared CI machine makes any tight bound flaky.
        output.WriteLine(
            $"1M floats in {slices.Length} slices, mean of {runs}: serialize {serialize.TotalMilliseconds / runs:F2} ms, deserialize {deserialize.TotalMilliseconds / runs:F2} ms");
        Assert.True(serialize + deserialize < TimeSpan.FromSeconds(runs), "a round trip took over a second: far off the block-copy path");
    }
}
