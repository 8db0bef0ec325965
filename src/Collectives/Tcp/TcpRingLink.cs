using System.Net.Sockets;
using QuantCluster.Collectives.Frames;

namespace QuantCluster.Collectives.Tcp;

/// <summary>
/// A ring link set up over TCP: one connection to each neighbour, each direction carrying CRC-checked frames over the
/// socket or, when the neighbour proved it shares this host's memory, over a shared-memory pipe.
/// </summary>
/// <remarks>Created by <see cref="TcpRingListener.ConnectAsync"/> once both neighbours have passed the handshake.</remarks>
public sealed class TcpRingLink : IRingLink
{
    private readonly RingIdentity _identity;
    private readonly IFrameWriter _writer;
    private readonly IFrameReader _reader;

    internal TcpRingLink(RingIdentity identity, IFrameWriter writer, string nextPeer, IFrameReader reader, string previousPeer)
    {
        _identity = identity;
        _writer = writer;
        _reader = reader;
        NextPeer = nextPeer;
        PreviousPeer = previousPeer;
    }

    /// <inheritdoc />
    public int Rank => _identity.Rank;

    /// <inheritdoc />
    public int WorldSize => _identity.WorldSize;

    /// <inheritdoc />
    public string PreviousPeer { get; }

    /// <inheritdoc />
    public string NextPeer { get; }

    /// <summary>How frames travel each way, for logs: "tcp" or "shared memory" to the next rank and from the previous one.</summary>
    public string Transport => $"to {NextPeer} by {_writer.Transport}, from {PreviousPeer} by {_reader.Transport}";

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
    public async ValueTask ReceiveAddAsync(Memory<float> target, CancellationToken cancel)
    {
        try
        {
            await _reader.ReadAddAsync(target, cancel);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new RingTransportException($"Rank {Rank} lost the connection to {PreviousPeer} while receiving: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _reader.DisposeAsync();
    }
}
