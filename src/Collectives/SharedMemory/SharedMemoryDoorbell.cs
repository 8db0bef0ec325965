using System.Net.Sockets;

namespace QuantCluster.Collectives.SharedMemory;

/// <summary>
/// How one side of a <see cref="SharedMemoryPipe"/> waits for the other without burning a core: a short spin, then a
/// sleep on the TCP connection the two ranks already share, which the other side wakes with one byte.
/// </summary>
/// <remarks>
/// The socket also watches the peer: if its process dies, the kernel closes the connection and the sleeper wakes with
/// an error instead of waiting on memory nobody will write again. The sleep is an ordinary async socket read, so a
/// waiting rank holds no thread.
/// </remarks>
internal sealed class SharedMemoryDoorbell(Socket socket, string peer)
{
    // Enough to cover the gap between two chunks while both sides stream, far less than a scheduler tick.
    private const int SpinIterations = 64;

    private static readonly byte[] Ring = [1];
    private readonly byte[] _rung = new byte[64];

    /// <summary>Waits until <paramref name="waiter"/>'s side of <paramref name="pipe"/> can go on, asking the peer for a doorbell before each sleep.</summary>
    /// <param name="whileWaitingFor">What the wait is for, as an error message should say it when the peer goes away.</param>
    public async ValueTask WaitAsync(SharedMemoryPipe pipe, PipeSide waiter, string whileWaitingFor, CancellationToken cancel)
    {
        var spin = new SpinWait();
        for (var i = 0; i < SpinIterations; i++)
        {
            if (pipe.IsReady(waiter))
            {
                return;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        while (true)
        {
            pipe.AskForDoorbell(waiter);
            // Checked after the request, so a move that came before it is seen here and one that comes after rings.
            if (pipe.IsReady(waiter))
            {
                pipe.WithdrawDoorbell(waiter);
                return;
            }

            int got;
            try
            {
                got = await socket.ReceiveAsync(_rung, SocketFlags.None, cancel);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                // A process that closes with a doorbell unread resets the connection instead of ending it: the same departure.
                got = 0;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                throw new RingTransportException($"Lost the connection to {peer} {whileWaitingFor}: {e.Message}", e);
            }

            if (got == 0)
            {
                throw new RingTransportException($"{peer} closed the connection {whileWaitingFor}.");
            }
        }
    }

    /// <summary>Wakes the peer, which asked for it before it slept.</summary>
    public async ValueTask RingAsync(CancellationToken cancel)
    {
        try
        {
            await socket.SendAsync(Ring, SocketFlags.None, cancel);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // A peer that has gone needs no waking. What this side has read or written so far is whole; if it needs the
            // peer again, its next wait finds the connection closed and says so.
        }
    }
}
