using System.Buffers.Binary;
using System.Text;

namespace QuantCluster.Collectives.Tcp;

/// <summary>The few bytes two neighbours exchange before any frame, so a peer of another job, rank or world size is refused.</summary>
internal static class RingHandshake
{
    private const uint HelloMagic = 0x48524351; // "QCRH"
    private const ushort Version = 1;
    private const int MaxText = 1024;

    /// <summary>The connecting side (a rank reaching its next rank): says who it is, then reads the verdict.</summary>
    public static async Task GreetNextAsync(Stream stream, RingIdentity self, string nextPeer, CancellationToken cancel)
    {
        var jobId = Encoding.UTF8.GetBytes(self.JobId);
        var hello = new byte[16 + jobId.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(hello, HelloMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(hello.AsSpan(6), self.Rank);
        BinaryPrimitives.WriteInt32LittleEndian(hello.AsSpan(10), self.WorldSize);
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(14), (ushort)jobId.Length);
        jobId.CopyTo(hello.AsSpan(16));
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
    }

    /// <summary>The accepting side (a rank hearing from its previous rank): checks the greeting and answers.</summary>
    public static async Task CheckPreviousAsync(Stream stream, RingIdentity self, string remote, CancellationToken cancel)
    {
        var hello = await ReadExactAsync(stream, 16, remote, cancel);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(hello);
        var problem = magic != HelloMagic ? $"it is not a QuantCluster ring peer (magic 0x{magic:x8})" : null;
        var rank = BinaryPrimitives.ReadInt32LittleEndian(hello.AsSpan(6));
        var worldSize = BinaryPrimitives.ReadInt32LittleEndian(hello.AsSpan(10));
        var jobLength = BinaryPrimitives.ReadUInt16LittleEndian(hello.AsSpan(14));
        string? jobId = null;
        if (problem is null && jobLength <= MaxText)
        {
            jobId = Encoding.UTF8.GetString(await ReadExactAsync(stream, jobLength, remote, cancel));
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(hello.AsSpan(4));
        problem ??= version != Version ? $"it speaks ring protocol version {version}, this rank speaks {Version}"
            : jobId != self.JobId ? $"it belongs to job '{jobId}', this ring is job '{self.JobId}'"
            : worldSize != self.WorldSize ? $"it counts {worldSize} ranks, this ring has {self.WorldSize}"
            : rank != self.PreviousRank ? $"it is rank {rank}, but rank {self.Rank}'s previous rank is {self.PreviousRank}"
            : null;

        var reason = Encoding.UTF8.GetBytes(problem ?? "");
        var reply = new byte[7 + reason.Length];
        reply[0] = problem is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteInt32LittleEndian(reply.AsSpan(1), self.Rank);
        BinaryPrimitives.WriteUInt16LittleEndian(reply.AsSpan(5), (ushort)reason.Length);
        reason.CopyTo(reply.AsSpan(7));
        await stream.WriteAsync(reply, cancel);
        if (problem is not null)
        {
            throw new RingHandshakeException($"Rank {self.Rank} refused a ring neighbour at {remote}: {problem}.");
        }
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
