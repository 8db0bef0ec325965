using System.Net;
using System.Net.Sockets;

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
    public async Task<TcpRingLink> ConnectAsync(RingIdentity identity, IPEndPoint next, TimeSpan timeout, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(next);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stop.CancelAfter(timeout);
        var nextPeer = $"rank {identity.NextRank} at {next}";
        var accept = AcceptPreviousAsync(identity, stop);
        var connect = ConnectNextAsync(identity, next, nextPeer, stop);
        try
        {
            await Task.WhenAll(accept, connect);
        }
        catch (Exception)
        {
            if (accept.IsCompletedSuccessfully)
            {
                (await accept).Item1.Dispose();
            }

            if (connect.IsCompletedSuccessfully)
            {
                (await connect).Dispose();
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

    private static void Tune(Socket socket)
    {
        socket.NoDelay = true;
        socket.SendBufferSize = SocketBufferBytes;
        socket.ReceiveBufferSize = SocketBufferBytes;
    }

    private async Task<(Socket, string)> AcceptPreviousAsync(RingIdentity identity, CancellationTokenSource stop)
    {
        try
        {
            var socket = await _listener.AcceptAsync(stop.Token);
            try
            {
                Tune(socket);
                var remote = $"{socket.RemoteEndPoint}";
                using var stream = new NetworkStream(socket, ownsSocket: false);
                await RingHandshake.CheckPreviousAsync(stream, identity, remote, stop.Token);
                return (socket, $"rank {identity.PreviousRank} at {remote}");
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

    private static async Task<Socket> ConnectNextAsync(RingIdentity identity, IPEndPoint next, string nextPeer, CancellationTokenSource stop)
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

                try
                {
                    using var stream = new NetworkStream(socket, ownsSocket: false);
                    await RingHandshake.GreetNextAsync(stream, identity, nextPeer, stop.Token);
                    return socket;
                }
                catch
                {
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
