using QuantCluster.Collectives;
using QuantCluster.Collectives.Frames;
using QuantCluster.Collectives.Tcp;

namespace QuantCluster.Tests.Collectives;

public sealed class FrameTests
{
    [Fact]
    public async Task Frames_round_trip_in_sequence()
    {
        using var stream = new MemoryStream();
        var writer = new TcpFrameWriter(stream);
        await writer.WriteAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
        await writer.WriteAsync(new byte[] { 4, 5 }, CancellationToken.None);
        stream.Position = 0;
        var reader = new TcpFrameReader(stream, "peer");
        var first = new byte[3];
        var second = new byte[2];

        await reader.ReadAsync(first, CancellationToken.None);
        await reader.ReadAsync(second, CancellationToken.None);

        Assert.Equal(new byte[] { 1, 2, 3 }, first);
        Assert.Equal(new byte[] { 4, 5 }, second);
    }

    [Theory]
    [InlineData(0, "bad magic")]
    [InlineData(4, "out of order: sequence 1, expected 0")]
    [InlineData(8, "carries 258 bytes where 3 were expected")]
    [InlineData(12, "CRC-32 mismatch")]
    [InlineData(17, "CRC-32 mismatch")]
    public async Task Corrupt_header_or_payload_byte_is_rejected(int offset, string expected)
    {
        using var stream = new MemoryStream();
        await new TcpFrameWriter(stream).WriteAsync(new byte[] { 1, 2, 3 }, CancellationToken.None);
        var bytes = stream.ToArray();
        bytes[offset] ^= 0x01;
        if (offset == 8)
        {
            bytes[offset + 1] ^= 0x01;
        }

        var error = await Assert.ThrowsAsync<RingTransportException>(async () =>
            await new TcpFrameReader(new MemoryStream(bytes), "rank 9 at somewhere").ReadAsync(new byte[3], CancellationToken.None));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("rank 9 at somewhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_ending_inside_a_header_is_named()
    {
        var error = await Assert.ThrowsAsync<RingTransportException>(async () =>
            await new TcpFrameReader(new MemoryStream(new byte[5]), "peer").ReadAsync(new byte[3], CancellationToken.None));

        Assert.Equal("peer closed the connection inside the header of frame 0 (5 of 16 bytes).", error.Message);
    }

    [Fact]
    public void Segments_cover_the_buffer_in_order_with_sizes_differing_by_at_most_one()
    {
        foreach (var n in Enumerable.Range(1, 6))
        {
            foreach (var total in new[] { 0, 1, 5, 6, 7, 1_000_003 })
            {
                var segments = Enumerable.Range(0, n).Select(j => RingSegments.Segment(total, n, j)).ToArray();
                Assert.Equal(0, segments[0].Offset);
                Assert.All(segments.Skip(1).Zip(segments), p => Assert.Equal(p.Second.Offset + p.Second.Length, p.First.Offset));
                Assert.Equal(total, segments[^1].Offset + segments[^1].Length);
                Assert.True(segments.Max(s => s.Length) - segments.Min(s => s.Length) <= 1);
            }
        }
    }
}
