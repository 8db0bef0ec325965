using System.Net;
using System.Net.Sockets;
using QuantCluster.Collectives;
using QuantCluster.Collectives.Tcp;

namespace QuantCluster.Tests.Collectives;

/// <summary>A hand-driven rank that passes the handshake and then writes whatever bytes a test wants, as a faulty peer would.</summary>
internal sealed class RoguePeer : IAsyncDisposable
{
    private readonly Socket _listener;
    private Socket? _toNext;
    private Socket? _fromPrevious;

    public RoguePeer()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(1);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public NetworkStream ToNext => new(_toNext!, ownsSocket: false);

    public NetworkStream FromPrevious => new(_fromPrevious!, ownsSocket: false);

    /// <summary>Joins the ring as <paramref name="self"/>: connects to <paramref name="next"/> and accepts the previous rank.</summary>
    public async Task JoinAsync(RingIdentity self, IPEndPoint next, CancellationToken cancel)
    {
        var accept = Task.Run(async () =>
        {
            _fromPrevious = await _listener.AcceptAsync(cancel);
            await using var stream = new NetworkStream(_fromPrevious, ownsSocket: false);
            await RingHandshake.CheckPreviousAsync(stream, self, "ring under test", sharedMemoryDirectory: null, cancel);
        }, cancel);
        _toNext = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await _toNext.ConnectAsync(next, cancel);
        await using (var stream = new NetworkStream(_toNext, ownsSocket: false))
        {
            await RingHandshake.GreetNextAsync(stream, self, "ring under test", offer: null, cancel);
        }

        await accept;
    }

    public void CloseToNext() => _toNext?.Shutdown(SocketShutdown.Both);

    public ValueTask DisposeAsync()
    {
        _toNext?.Dispose();
        _fromPrevious?.Dispose();
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}
