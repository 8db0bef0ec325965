using System.Net;
using System.Net.Sockets;
using QuantCluster.Collectives;
using QuantCluster.Collectives.Tcp;

namespace QuantCluster.Tests.Collectives;

public sealed class TcpHandshakeTests
{
    [Fact]
    public async Task Neighbour_from_another_job_is_refused_on_both_sides()
    {
        var errors = await ConnectTwoAsync(new RingIdentity("job-a", 0, 2), new RingIdentity("job-b", 1, 2));

        // Which side refuses first is a race; either way each rank's error names both jobs.
        Assert.All(errors, e => Assert.IsType<RingHandshakeException>(e));
        Assert.All(errors, e => Assert.Matches("it belongs to job 'job-[ab]', this ring is job 'job-[ab]'", e!.Message));
    }

    [Fact]
    public async Task Connecting_side_hears_why_it_was_refused()
    {
        using var cancel = new CancellationTokenSource(RingHarness.Timeout);
        await using var listener = TcpRingListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var unused = TcpRingListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var accepting = Record.ExceptionAsync(() =>
            listener.ConnectAsync(new RingIdentity("job-a", 1, 2), unused.LocalEndPoint, RingHarness.Timeout, cancel.Token));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(listener.LocalEndPoint, cancel.Token);
        await using var stream = new NetworkStream(socket);

        var error = await Assert.ThrowsAsync<RingHandshakeException>(() =>
            RingHandshake.GreetNextAsync(stream, new RingIdentity("job-b", 0, 2), "rank 1 at the listener", offer: null, cancel.Token));

        Assert.Equal("Rank 0: rank 1 at the listener refused the ring connection: it belongs to job 'job-b', this ring is job 'job-a'", error.Message);
        Assert.IsType<RingHandshakeException>(await accepting);
    }

    [Fact]
    public async Task Neighbour_counting_another_world_size_is_refused()
    {
        var errors = await ConnectTwoAsync(new RingIdentity("job", 0, 2), new RingIdentity("job", 1, 3));

        Assert.All(errors, e => Assert.IsType<RingHandshakeException>(e));
        Assert.All(errors, e => Assert.Matches("it counts [23] ranks, this ring has [23]", e!.Message));
    }

    [Fact]
    public async Task Neighbour_with_the_wrong_rank_is_refused()
    {
        // Two processes both told they are rank 0 of 2.
        var errors = await ConnectTwoAsync(new RingIdentity("job", 0, 2), new RingIdentity("job", 0, 2));

        Assert.Contains(errors, e => e is RingHandshakeException && e.Message.Contains("it is rank 0, but rank 0's previous rank is 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_neighbour_is_a_timeout_that_says_who_is_missing()
    {
        await using var listener = TcpRingListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var silent = TcpRingListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var error = await Assert.ThrowsAsync<RingTransportException>(() =>
            listener.ConnectAsync(new RingIdentity("job", 0, 2), silent.LocalEndPoint, TimeSpan.FromMilliseconds(300), CancellationToken.None));

        Assert.Contains("within 0.3 s", error.Message, StringComparison.Ordinal);
    }

    private static async Task<Exception?[]> ConnectTwoAsync(RingIdentity first, RingIdentity second)
    {
        await using var a = TcpRingListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var b = TcpRingListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return await Task.WhenAll(
            Record.ExceptionAsync(() => a.ConnectAsync(first, b.LocalEndPoint, RingHarness.Timeout, CancellationToken.None)),
            Record.ExceptionAsync(() => b.ConnectAsync(second, a.LocalEndPoint, RingHarness.Timeout, CancellationToken.None)));
    }
}
