using System.Net;
using QuantCluster.Collectives;
using QuantCluster.Collectives.Frames;
using QuantCluster.Collectives.Tcp;

namespace QuantCluster.Tests.Collectives;

/// <summary>A peer that corrupts, truncates or drops the stream makes the all-reduce fail with a message naming it, never return a wrong value.</summary>
public sealed class TcpRingFaultTests
{
    // Rank 0 of a 2-rank ring over 1,000 floats receives segment 1 first: one frame of 500 floats.
    private const int Length = 1_000;
    private const int ExpectedPayload = 500 * sizeof(float);

    [Fact]
    public async Task Flipped_payload_byte_is_a_crc_error_naming_the_peer()
    {
        var frame = await ValidFrameAsync(ExpectedPayload);
        frame[FrameHeader.Size + 123] ^= 0x04;

        var error = await RunAgainstRogueAsync(async rogue => await WriteAsync(rogue, frame));

        Assert.Contains("Frame 0 from rank 1 at 127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("CRC-32 mismatch", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frame_cut_short_by_a_disconnect_is_a_truncation_error()
    {
        var frame = await ValidFrameAsync(ExpectedPayload);

        var error = await RunAgainstRogueAsync(async rogue =>
        {
            await WriteAsync(rogue, frame[..(FrameHeader.Size + 100)]);
            rogue.CloseToNext();
        });

        Assert.Contains("closed the connection in the middle of frame 0 (100 of 2000 payload bytes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Peer_that_leaves_before_sending_is_named()
    {
        var error = await RunAgainstRogueAsync(rogue =>
        {
            rogue.CloseToNext();
            return Task.CompletedTask;
        });

        Assert.Matches(@"^rank 1 at 127\.0\.0\.1:\d+ closed the connection before frame 0\.$", error.Message);
    }

    [Fact]
    public async Task Frame_of_the_wrong_size_is_rejected_before_its_payload_is_read()
    {
        var error = await RunAgainstRogueAsync(async rogue => await WriteAsync(rogue, await ValidFrameAsync(ExpectedPayload / 2)));

        Assert.Contains("carries 1000 bytes where 2000 were expected", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Failure_spreads_around_the_ring_when_a_rank_disappears(bool sharedMemory)
    {
        // Over shared memory the frames need not touch the sockets, so only the doorbell's watch can notice the departure.
        using var pipes = new SharedMemoryDirectory();
        var links = await RingHarness.TcpAsync(3, transports: sharedMemory ? pipes.Options(pipeBytes: 256) : RingTransportOptions.TcpOnly);
        var ranks = links.Select(l => new RingAllReduce(l, 8)).ToArray();
        using var cancel = new CancellationTokenSource(RingHarness.Timeout);

        var survivors = ranks[..2].Select(r => Record.ExceptionAsync(async () => await r.SumAsync(new float[3_000], cancel.Token))).ToArray();
        await ranks[2].DisposeAsync();
        var errors = await Task.WhenAll(survivors);

        Assert.All(errors, e => Assert.IsType<RingTransportException>(e));
        Assert.Contains(errors, e => e!.Message.Contains("rank 2 at 127.0.0.1:", StringComparison.Ordinal));
        Assert.False(cancel.IsCancellationRequested, "the survivors should fail on the disconnect, not on the test's timeout");
        await RingHarness.DisposeAllAsync(ranks[..2]);
    }

    [Fact]
    public async Task Ring_that_failed_refuses_to_be_reused()
    {
        var links = await RingHarness.TcpAsync(2);
        var survivor = new RingAllReduce(links[0]);
        await links[1].DisposeAsync();
        await Assert.ThrowsAsync<RingTransportException>(async () => await survivor.SumAsync(new float[10], CancellationToken.None));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await survivor.SumAsync(new float[10], CancellationToken.None));

        Assert.Contains("failed earlier and cannot be reused", error.Message, StringComparison.Ordinal);
        await survivor.DisposeAsync();
    }

    private static async Task<Exception> RunAgainstRogueAsync(Func<RoguePeer, Task> misbehave)
    {
        using var cancel = new CancellationTokenSource(RingHarness.Timeout);
        await using var rogue = new RoguePeer();
        await using var listener = TcpRingListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var join = rogue.JoinAsync(new RingIdentity("job-test", 1, 2), listener.LocalEndPoint, cancel.Token);
        var link = await listener.ConnectAsync(new RingIdentity("job-test", 0, 2), rogue.LocalEndPoint, RingHarness.Timeout, cancel.Token);
        await join;
        await using var ring = new RingAllReduce(link);
        var values = Enumerable.Range(0, Length).Select(i => (float)i).ToArray();

        var sum = ring.SumAsync(values, cancel.Token).AsTask();
        await misbehave(rogue);

        var error = await Assert.ThrowsAsync<RingTransportException>(() => sum);
        Assert.False(cancel.IsCancellationRequested, "the ring should fail on the bad frame, not on the test's timeout");
        return error;
    }

    private static async Task<byte[]> ValidFrameAsync(int payloadBytes)
    {
        using var stream = new MemoryStream();
        await new TcpFrameWriter(stream).WriteAsync(new byte[payloadBytes], CancellationToken.None);
        return stream.ToArray();
    }

    private static async Task WriteAsync(RoguePeer rogue, byte[] bytes)
    {
        await using var stream = rogue.ToNext;
        await stream.WriteAsync(bytes);
    }
}
