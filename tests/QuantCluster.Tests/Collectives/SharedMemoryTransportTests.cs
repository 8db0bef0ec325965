using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using QuantCluster.Collectives;
using QuantCluster.Collectives.SharedMemory;
using QuantCluster.Collectives.Tcp;

namespace QuantCluster.Tests.Collectives;

/// <summary>Neighbours on one host move frames through shared memory only when both allow it and the pipe provably is the same memory; otherwise TCP.</summary>
public sealed class SharedMemoryTransportTests
{
    [Fact]
    public async Task Neighbours_that_both_allow_it_use_shared_memory_and_leave_no_file_behind()
    {
        using var pipes = new SharedMemoryDirectory();
        var links = await RingHarness.TcpAsync(3, transports: pipes.Options());

        Assert.All(links, l => Assert.Matches(@"^to rank \d at 127\.0\.0\.1:\d+ by shared memory, from rank \d at 127\.0\.0\.1:\d+ by shared memory$", l.Transport));
        Assert.Empty(pipes.Files());
        await RingHarness.DisposeAllAsync(links);
    }

    [Fact]
    public async Task Rank_that_allows_only_tcp_gets_tcp_both_ways_and_the_ring_still_sums_exactly()
    {
        using var pipes = new SharedMemoryDirectory();
        var links = await RingHarness.TcpAsync([pipes.Options(), RingTransportOptions.TcpOnly, pipes.Options(pipeBytes: 256)]);

        // Rank 1 neither offers nor takes a pipe; the link from rank 2 to rank 0 does not involve it.
        Assert.Equal($"to {links[1].NextPeer} by tcp, from {links[1].PreviousPeer} by tcp", links[1].Transport);
        Assert.Equal($"to {links[0].NextPeer} by tcp, from {links[0].PreviousPeer} by shared memory", links[0].Transport);
        Assert.Equal($"to {links[2].NextPeer} by shared memory, from {links[2].PreviousPeer} by tcp", links[2].Transport);
        Assert.Empty(pipes.Files());

        var ranks = links.Select(l => (IAllReduce)new RingAllReduce(l, 5)).ToArray();
        var inputs = RingHarness.RandomBuffers(3, 1_001, seed: 3);
        var outputs = await RingHarness.SumAllAsync(ranks, inputs);
        var expected = RingHarness.RingOrderSum(inputs).Select(BitConverter.SingleToInt32Bits);
        Assert.All(outputs, o => Assert.Equal(expected, o.Select(BitConverter.SingleToInt32Bits)));
        await RingHarness.DisposeAllAsync(ranks);
    }

    [Fact]
    public async Task Offer_of_a_pipe_the_neighbour_cannot_map_falls_back_to_tcp()
    {
        using var pipes = new SharedMemoryDirectory();
        using var offer = SharedMemoryPipe.Create(pipes.Path, 64);
        // What a neighbour on another host sees: the name means nothing there.
        offer.Unlink();

        var (taken, notTaken) = await HandshakeAsync(offer, pipes.Path);

        Assert.False(taken);
        Assert.StartsWith($"cannot map {offer.Path}", notTaken, StringComparison.Ordinal);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Pipe_file_is_readable_by_its_owner_alone()
    {
        using var pipes = new SharedMemoryDirectory();
        using var pipe = SharedMemoryPipe.Create(pipes.Path, 1 << 16);

        // Another user on the host must not read the gradients; without a pipe it gets, it falls back to TCP.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pipe.Path));
        Assert.Equal(4096 + (1 << 16), new FileInfo(pipe.Path).Length);
    }

    [Fact]
    public void Pipe_holding_another_nonce_is_refused()
    {
        using var pipes = new SharedMemoryDirectory();
        using var real = SharedMemoryPipe.Create(pipes.Path, 64);

        var opened = SharedMemoryPipe.TryOpen(pipes.Path, real.Path, new byte[16], out var whyNot);

        Assert.Null(opened);
        Assert.Contains("holds another nonce", whyNot, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepting_rank_that_allows_only_tcp_declines_a_valid_offer()
    {
        using var pipes = new SharedMemoryDirectory();
        using var offer = SharedMemoryPipe.Create(pipes.Path, 64);

        Assert.Equal((false, null), await HandshakeAsync(offer, sharedMemoryDirectory: null));
        Assert.Equal((true, null), await HandshakeAsync(offer, pipes.Path));
    }

    [Fact]
    public async Task Offer_naming_a_file_outside_the_ranks_own_directory_is_not_opened()
    {
        using var pipes = new SharedMemoryDirectory();
        using var elsewhere = new SharedMemoryDirectory();
        using var offer = SharedMemoryPipe.Create(elsewhere.Path, 64);

        // The greeting names the path; a rank must not map whatever file a peer points it at.
        var (taken, notTaken) = await HandshakeAsync(offer, pipes.Path);

        Assert.False(taken);
        Assert.Equal($"{offer.Path} is not a pipe name in {pipes.Path}", notTaken);
    }

    [Fact]
    public void Link_or_file_that_is_not_a_pipe_is_refused_with_a_reason()
    {
        using var pipes = new SharedMemoryDirectory();
        using var real = SharedMemoryPipe.Create(pipes.Path, 64);
        var link = Path.Combine(pipes.Path, "quantcluster-ring-" + new string('a', 32));
        File.CreateSymbolicLink(link, real.Path);
        var empty = Path.Combine(pipes.Path, "quantcluster-ring-" + new string('b', 32));
        File.WriteAllBytes(empty, []);

        Assert.Null(SharedMemoryPipe.TryOpen(pipes.Path, link, real.Nonce, out var whyLink));
        Assert.Null(SharedMemoryPipe.TryOpen(pipes.Path, empty, real.Nonce, out var whyEmpty));
        Assert.Null(SharedMemoryPipe.TryOpen(pipes.Path, "/etc/passwd", real.Nonce, out var whyElsewhere));

        Assert.Equal($"{link} is a symbolic link", whyLink);
        Assert.Equal($"{empty} is 0 bytes, not the size of a pipe", whyEmpty);
        Assert.Equal($"/etc/passwd is not a pipe name in {pipes.Path}", whyElsewhere);
    }

    [Fact]
    public void Corrupt_positions_in_the_pipe_are_refused_instead_of_read_out_of_bounds()
    {
        using var pipes = new SharedMemoryDirectory();
        using var producer = SharedMemoryPipe.Create(pipes.Path, 64);
        using var consumer = SharedMemoryPipe.TryOpen(pipes.Path, producer.Path, producer.Nonce, out _)!;
        using (var mapping = System.IO.MemoryMappedFiles.MemoryMappedFile.CreateFromFile(producer.Path, FileMode.Open))
        using (var view = mapping.CreateViewAccessor())
        {
            view.Write(64, 1L << 40); // head, as a misbehaving peer could write it
        }

        var error = Assert.Throws<InvalidDataException>(() => consumer.TryRead(new byte[16]));

        Assert.Equal("its positions are corrupt (head 1099511627776, tail 0, capacity 64)", error.Message);
    }

    [Fact]
    public async Task Frame_of_the_wrong_size_is_refused()
    {
        using var pipes = new SharedMemoryDirectory();
        var links = await RingHarness.TcpAsync(2, transports: pipes.Options());
        using var cancel = new CancellationTokenSource(RingHarness.Timeout);

        await links[1].SendAsync(new float[1_000], cancel.Token);
        var error = await Assert.ThrowsAsync<RingTransportException>(async () => await links[0].ReceiveAsync(new float[10], cancel.Token));

        Assert.Contains($"Frame 0 from {links[0].PreviousPeer} carries 4000 bytes where 40 were expected", error.Message, StringComparison.Ordinal);
        await RingHarness.DisposeAllAsync(links);
    }

    [Fact]
    public async Task Writer_that_leaves_mid_frame_is_named_instead_of_waited_for()
    {
        using var pipes = new SharedMemoryDirectory();
        var links = await RingHarness.TcpAsync(2, transports: pipes.Options(pipeBytes: 64));
        using var cancel = new CancellationTokenSource(RingHarness.Timeout);

        // The pipe takes the header and 48 bytes of the frame; then rank 1 goes away while it waits for room.
        var stuck = links[1].SendAsync(new float[1_000], cancel.Token).AsTask();
        await links[1].DisposeAsync();
        var error = await Assert.ThrowsAsync<RingTransportException>(async () => await links[0].ReceiveAsync(new float[1_000], cancel.Token));

        Assert.Equal($"{links[0].PreviousPeer} closed the connection in the middle of frame 0.", error.Message);
        await Assert.ThrowsAsync<RingTransportException>(() => stuck);
        Assert.False(cancel.IsCancellationRequested, "the reader should fail on the disconnect, not on the test's timeout");
        await links[0].DisposeAsync();
    }

    [Fact]
    public void Pipe_wraps_around_and_refuses_more_than_it_holds()
    {
        using var pipes = new SharedMemoryDirectory();
        using var producer = SharedMemoryPipe.Create(pipes.Path, 64);
        using var consumer = SharedMemoryPipe.TryOpen(pipes.Path, producer.Path, producer.Nonce, out _)!;
        var second = Enumerable.Range(1, 80).Select(i => (byte)i).ToArray();

        Assert.Equal(40, producer.TryWrite(new byte[40]));
        Assert.Equal(40, consumer.TryRead(new byte[40]));
        Assert.Equal(64, producer.TryWrite(second)); // 24 bytes to the end of the buffer, 40 from its start
        Assert.False(producer.HasSpace);
        Assert.Equal(0, producer.TryWrite(second));
        var read = new byte[80];
        Assert.Equal(64, consumer.TryRead(read));

        Assert.Equal(second[..64], read[..64]);
        Assert.False(consumer.HasData);
    }

    [Fact]
    public void Floats_added_across_the_wrap_are_the_floats_written()
    {
        using var pipes = new SharedMemoryDirectory();
        using var producer = SharedMemoryPipe.Create(pipes.Path, 64);
        using var consumer = SharedMemoryPipe.TryOpen(pipes.Path, producer.Path, producer.Nonce, out _)!;
        producer.TryWrite(new byte[40]);
        consumer.TryRead(new byte[40]);
        var sent = Enumerable.Range(1, 16).Select(i => i * 0.5f).ToArray();
        var target = Enumerable.Repeat(100f, 20).ToArray();

        Assert.Equal(16, producer.TryWrite(System.Runtime.InteropServices.MemoryMarshal.AsBytes(sent.AsSpan())) / sizeof(float));
        Assert.Equal(16, consumer.TryReadAdd(target));

        Assert.Equal(sent.Select(v => 100f + v), target[..16]);
        Assert.Equal(Enumerable.Repeat(100f, 4), target[16..]);
    }

    /// <summary>One handshake over a loopback connection, with <paramref name="offer"/>; whether the pipe was taken.</summary>
    private static async Task<(bool Taken, string? NotTaken)> HandshakeAsync(SharedMemoryPipe offer, string? sharedMemoryDirectory)
    {
        using var cancel = new CancellationTokenSource(RingHarness.Timeout);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var connecting = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await connecting.ConnectAsync(listener.LocalEndPoint!, cancel.Token);
        using var accepted = await listener.AcceptAsync(cancel.Token);
        await using var greeter = new NetworkStream(connecting);
        await using var checker = new NetworkStream(accepted);

        var check = RingHandshake.CheckPreviousAsync(checker, new RingIdentity("job", 1, 2), "rank 0", sharedMemoryDirectory, cancel.Token);
        var taken = await RingHandshake.GreetNextAsync(greeter, new RingIdentity("job", 0, 2), "rank 1", offer, cancel.Token);
        var (pipe, notTaken) = await check;
        using (pipe)
        {
            Assert.Equal(taken, pipe is not null);
            return (taken, notTaken);
        }
    }
}
