using System.Buffers.Binary;
using System.Text;
using QuantCluster.Collectives.SharedMemory;

namespace QuantCluster.Collectives.Tcp;

/// <summary>
/// The few bytes two neighbours exchange before any frame, so a peer of another job, rank or world size is refused, and
/// the one place they agree on a transport: the connecting side may offer a shared-memory pipe, which the accepting
/// side takes only if it can map the file and finds the nonce the offer names (so it shares this host's memory).
/// </summary>
internal static class RingHandshake
{
    private const uint HelloMagic = 0x48524351; // "QCRH"
    private const ushort Version = 2;
    /// <summary>Longest job id, reason or offered path, in UTF-8 bytes.</summary>
    public const int MaxText = 1024;
    private const int NonceBytes = 16;

    /// <summary>The connecting side (a rank reaching its next rank): says who it is and what it offers, then reads the verdict.</summary>
    /// <returns>Whether the next rank took the offered pipe.</returns>
    public static async Task<bool> GreetNextAsync(Stream stream, RingIdentity self, string nextPeer, SharedMemoryPipe? offer, CancellationToken cancel)
    {
        var jobId = Encoding.UTF8.GetBytes(self.JobId);
        var path = offer is null ? [] : Encoding.UTF8.GetBytes(offer.Path);
        var nonce = offer?.Nonce ?? [];
        var hello = new byte[16 + jobId.Length + 2 + path.Length + nonce.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(hello, HelloMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(hello.AsSpan(6), self.Rank);
        BinaryPrimitives.WriteInt32LittleEndian(hello.AsSpan(10), self.WorldSize);
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(14), (ushort)jobId.Length);
        jobId.CopyTo(hello.AsSpan(16));
        var offerAt = 16 + jobId.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(offerAt), (ushort)path.Length);
        path.CopyTo(hello.AsSpan(offerAt + 2));
        nonce.CopyTo(hello.AsSpan(offerAt + 2 + path.Length));
        await stream.WriteAsync(hello, cancel);

        var reply = await ReadExactAsync(stream, 7, nextPeer, cancel);
        var accepted = reply[0] == 0;
        var theirRank = BinaryPrimitives.ReadInt32LittleEndian(reply.AsSpan(1));
        var reason = Encoding.UTF8.GetString(await ReadExactAsync(stream, BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(5)), nextPeer, cancel));
        if (!accepted)
        {
            throw new RingHandshakeException($"Rank {self.Rank}: {nextPeer} refused the ring connection: {reason}");
        }

        if (theirRank != self.NextRank)
        {
            throw new RingHandshakeException(
                $"Rank {self.Rank}: {nextPeer} answered as rank {theirRank}, but the next rank should be {self.NextRank}.");
        }

        return (await ReadExactAsync(stream, 1, nextPeer, cancel))[0] == 1;
    }

    /// <summary>
    /// The accepting side (a rank hearing from its previous rank): checks the greeting, maps an offered pipe if it lies
    /// in <paramref name="sharedMemoryDirectory"/> (null: take none), and answers.
    /// </summary>
    /// <returns>The pipe it took, or null when frames stay on TCP, with the reason when a pipe was offered and could not be taken.</returns>
    public static async Task<(SharedMemoryPipe? Pipe, string? NotTaken)> CheckPreviousAsync(
        Stream stream, RingIdentity self, string remote, string? sharedMemoryDirectory, CancellationToken cancel)
    {
        var hello = await ReadExactAsync(stream, 16, remote, cancel);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(hello);
        var version = BinaryPrimitives.ReadUInt16LittleEndian(hello.AsSpan(4));
        var problem = magic != HelloMagic ? $"it is not a QuantCluster ring peer (magic 0x{magic:x8})"
            : version != Version ? $"it speaks ring protocol version {version}, this rank speaks {Version}"
            : null;
        var rank = BinaryPrimitives.ReadInt32LittleEndian(hello.AsSpan(6));
        var worldSize = BinaryPrimitives.ReadInt32LittleEndian(hello.AsSpan(10));
        var jobLength = BinaryPrimitives.ReadUInt16LittleEndian(hello.AsSpan(14));
        string? jobId = null;
        string? offeredPath = null;
        byte[] nonce = [];
        if (problem is null && jobLength <= MaxText)
        {
            jobId = Encoding.UTF8.GetString(await ReadExactAsync(stream, jobLength, remote, cancel));
            var pathLength = BinaryPrimitives.ReadUInt16LittleEndian(await ReadExactAsync(stream, 2, remote, cancel));
            if (pathLength > MaxText)
            {
                problem = $"it offers a shared-memory path of {pathLength} bytes";
            }
            else if (pathLength > 0)
            {
                offeredPath = Encoding.UTF8.GetString(await ReadExactAsync(stream, pathLength, remote, cancel));
                nonce = await ReadExactAsync(stream, NonceBytes, remote, cancel);
            }
        }

        problem ??= jobId != self.JobId ? $"it belongs to job '{jobId}', this ring is job '{self.JobId}'"
            : worldSize != self.WorldSize ? $"it counts {worldSize} ranks, this ring has {self.WorldSize}"
            : rank != self.PreviousRank ? $"it is rank {rank}, but rank {self.Rank}'s previous rank is {self.PreviousRank}"
            : null;

        // A pipe that cannot be mapped (another host or container, no access) is not an error: frames stay on TCP.
        string? notTaken = null;
        var pipe = problem is null && sharedMemoryDirectory is not null && offeredPath is not null
            ? SharedMemoryPipe.TryOpen(sharedMemoryDirectory, offeredPath, nonce, out notTaken)
            : null;
        var reason = Encoding.UTF8.GetBytes(problem ?? "");
        var reply = new byte[7 + reason.Length + 1];
        reply[0] = problem is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteInt32LittleEndian(reply.AsSpan(1), self.Rank);
        BinaryPrimitives.WriteUInt16LittleEndian(reply.AsSpan(5), (ushort)reason.Length);
        reason.CopyTo(reply.AsSpan(7));
        reply[^1] = pipe is null ? (byte)0 : (byte)1;
        try
        {
            await stream.WriteAsync(reply, cancel);
        }
        catch
        {
            pipe?.Dispose();
            throw;
        }

        if (problem is not null)
        {
            throw new RingHandshakeException($"Rank {self.Rank} refused a ring neighbour at {remote}: {problem}.");
        }

        return (pipe, notTaken);
    }

    private static async Task<byte[]> ReadExactAsync(Stream stream, int count, string peer, CancellationToken cancel)
    {
        var buffer = new byte[count];
        var got = await stream.ReadAtLeastAsync(buffer, count, throwOnEndOfStream: false, cancel);
        if (got < count)
        {
            throw new RingHandshakeException($"{peer} closed the connection during the ring handshake ({got} of {count} bytes).");
        }

        return buffer;
    }
}
