using System.Net.Sockets;

namespace QuantCluster.Collectives.Tcp;

/// <summary>A ring link over two plain TCP connections, one to each neighbour, carrying CRC-checked frames.</summary>
/// <remarks>Created by <see cref="TcpRingListener.ConnectAsync"/> once both neighbours have passed the handshake.</remarks>
public sealed class TcpRingLink : IRingLink
{
    private readonly RingIdentity _identity;
    private readonly NetworkStream _toNext;
    private readonly NetworkStream _fromPrevious;
    private readonly FrameWriter _writer;
    private readonly FrameReader _reader;

    internal TcpRingLink(RingIdentity identity, Socket toNext, string nextPeer, Socket fromPrevious, string previousPeer)
    {
        _identity = identity;
        _toNext = new NetworkStream(toNext, ownsSocket: true);
        _fromPrevious = new NetworkStream(fromPrevious, ownsSocket: true);
        NextPeer = nextPeer;
        PreviousPeer = previousPeer;
        _writer = new FrameWriter(_toNext);
        _reader = new FrameReader(_fromPrevious, previousPeer);
    }

    /// <inheritdoc />
    public int Rank => _identity.Rank;

    /// <inheritdoc />
    public int WorldSize => _identity.WorldSize;

    /// <inheritdoc />
    public string PreviousPeer { get; }

    /// <inheritdoc />
    public string NextPeer { get; }

    /// <inheritdoc />
    public async ValueTask SendAsync(ReadOnlyMemory<float> values, CancellationToken cancel)
    {
        using var bytes = PinnedBytes.Of(values);
        try
        {
            await _writer.WriteAsync(bytes.Memory, cancel);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new RingTransportException($"Rank {Rank} lost the connection to {NextPeer} while sending: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public async ValueTask ReceiveAsync(Memory<float> destination, CancellationToken cancel)
    {
        using var bytes = PinnedBytes.Of(destination);
        try
        {
            await _reader.ReadAsync(bytes.Memory, cancel);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new RingTransportException($"Rank {Rank} lost the connection to {PreviousPeer} while receiving: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _toNext.DisposeAsync();
        await _fromPrevious.DisposeAsync();
    }
}
