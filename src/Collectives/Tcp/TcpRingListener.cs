using System.Net;
using System.Net.Sockets;
using QuantCluster.Collectives.Frames;
using QuantCluster.Collectives.SharedMemory;

namespace QuantCluster.Collectives.Tcp;

/// <summary>A rank's listening socket and rendezvous: accepts the previous rank, connects to the next, and checks both by handshake.</summary>
/// <remarks>Bind every rank first (port 0 picks a free port), share the endpoints, then call <see cref="ConnectAsync"/> on all of them.</remarks>
public sealed class TcpRingListener : IAsyncDisposable
{
    // Loopback moves GB/s; the kernel's default buffers would make every chunk wait for the reader (net.core.*mem_max caps it).
    private const int SocketBufferBytes = 4 * 1024 * 1024;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(50);

    private readonly Socket _listener;

    private TcpRingListener(Socket listener)
    {
        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>Where the previous rank should connect.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Listens on <paramref name="local"/> (port 0 for any free port).</summary>
    public static TcpRingListener Bind(IPEndPoint local)
    {
        var listener = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Set before listen so accepted sockets inherit a window scale large enough for the buffer.
            listener.ReceiveBufferSize = SocketBufferBytes;
            listener.Bind(local);
            listener.Listen(4);
            return new TcpRingListener(listener);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    /// <summary>Connects this rank into the ring; fails with a clear message if a neighbour mismatches or does not come within <paramref name="timeout"/>.</summary>
    /// <param name="transports">Whether frames to and from a neighbour on this host may go through shared memory; <see cref="RingTransportOptions.Default"/> when null.</param>
    public async Task<TcpRingLink> ConnectAsync(RingIdentity identity, IPEndPoint next, TimeSpan timeout, CancellationToken cancel, RingTransportOptions? transports = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(next);
        transports ??= RingTransportOptions.Default;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stop.CancelAfter(timeout);
        var nextPeer = $"rank {identity.NextRank} at {next}";
        var accept = AcceptPreviousAsync(identity, transports, stop);
        var connect = ConnectNextAsync(identity, next, nextPeer, transports, stop);
        try
        {
            await Task.WhenAll(accept, connect);
        }
        catch (Exception)
        {
            if (accept.IsCompletedSuccessfully)
            {
                await (await accept).Item1.DisposeAsync();
            }

            if (connect.IsCompletedSuccessfully)
            {
                await (await connect).DisposeAsync();
            }

            var problems = new Task[] { accept, connect }.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).ToList();
            var cause = problems.FirstOrDefault(e => e is not OperationCanceledException);
            if (cause is not null)
            {
                throw cause;
            }

            cancel.ThrowIfCancellationRequested();
            var missing = !accept.IsCompletedSuccessfully ? $"no connection from rank {identity.PreviousRank} on {LocalEndPoint}" : $"could not reach {nextPeer}";
            throw new RingTransportException($"Rank {identity.Rank}: {missing} within {timeout.TotalSeconds:0.#} s.");
        }

        var (fromPrevious, previousPeer) = await accept;
        return new TcpRingLink(identity, await connect, nextPeer, fromPrevious, previousPeer);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A pipe to offer the next rank, or null when shared memory is off or its directory cannot hold one (frames then use TCP).</summary>
    private static SharedMemoryPipe? OfferPipe(RingTransportOptions transports)
    {
        if (transports.SharedMemoryDirectory is null)
        {
            return null;
        }

        try
        {
            var pipe = SharedMemoryPipe.Create(transports.SharedMemoryDirectory, transports.PipeBytes);
            if (System.Text.Encoding.UTF8.GetByteCount(pipe.Path) <= RingHandshake.MaxText)
            {
                return pipe;
            }

            // A path the greeting cannot carry would get the whole ring refused; TCP serves instead.
            pipe.Unlink();
            pipe.Dispose();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Tune(Socket socket)
    {
        socket.NoDelay = true;
        socket.SendBufferSize = SocketBufferBytes;
        socket.ReceiveBufferSize = SocketBufferBytes;
    }

    private async Task<(IFrameReader, string)> AcceptPreviousAsync(RingIdentity identity, RingTransportOptions transports, CancellationTokenSource stop)
    {
        try
        {
            var socket = await _listener.AcceptAsync(stop.Token);
            try
            {
                Tune(socket);
                var remote = $"{socket.RemoteEndPoint}";
                var peer = $"rank {identity.PreviousRank} at {remote}";
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                var (pipe, notTaken) = await RingHandshake.CheckPreviousAsync(stream, identity, remote, transports.SharedMemoryDirectory, stop.Token);
                IFrameReader reader = pipe is null
                    ? new TcpFrameReader(new NetworkStream(socket, ownsSocket: true), peer, notTaken is null ? null : $"shared memory offered, not taken: {notTaken}")
                    : new SharedMemoryFrameReader(pipe, socket, peer);
                return (reader, peer);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stop.CancelAsync();
            throw;
        }
    }

    private static async Task<IFrameWriter> ConnectNextAsync(
        RingIdentity identity, IPEndPoint next, string nextPeer, RingTransportOptions transports, CancellationTokenSource stop)
    {
        try
        {
            while (true)
            {
                var socket = new Socket(next.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    Tune(socket);
                    await socket.ConnectAsync(next, stop.Token);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    // The next rank's process may still be starting; keep knocking until the timeout.
                    socket.Dispose();
                    await Task.Delay(RetryDelay, stop.Token);
                    continue;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }

                var offer = OfferPipe(transports);
                try
                {
                    await using var stream = new NetworkStream(socket, ownsSocket: false);
                    var taken = await RingHandshake.GreetNextAsync(stream, identity, nextPeer, offer, stop.Token);
                    // Both sides have the file mapped or never will: the name is no longer needed, and nothing is left behind if a process dies.
                    offer?.Unlink();
                    if (offer is not null && taken)
                    {
                        return new SharedMemoryFrameWriter(offer, socket, nextPeer);
                    }

                    offer?.Dispose();
                    return new TcpFrameWriter(new NetworkStream(socket, ownsSocket: true));
                }
                catch
                {
                    offer?.Unlink();
                    offer?.Dispose();
                    socket.Dispose();
                    throw;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stop.CancelAsync();
            throw;
        }
    }
}
