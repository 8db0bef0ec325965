using System.Runtime.Serialization;
using System.Security.Cryptography;
using Akka.Actor;
using QuantCluster.Messages;
using QuantCluster.Messages.Blobs;

namespace QuantCluster.Node.Blobs;

/// <summary>Puts payloads into a blob store and pulls them from any node's store, a few chunks in flight, checking the SHA-256.</summary>
public static class BlobTransfer
{
    /// <summary>The largest blob a node accepts to fetch; a larger announced length is a misbehaving peer.</summary>
    public const long MaximumBytes = 1L << 30;

    private const int InFlight = 8;
    private static readonly TimeSpan ChunkTimeout = TimeSpan.FromSeconds(30);

    public static Task<BlobRef> StoreAsync(IActorRef store, byte[] bytes) => store.Ask<BlobRef>(new PutBlob(bytes), ChunkTimeout);

    public static async Task<byte[]> FetchAsync(ActorSystem system, BlobRef blob, CancellationToken cancel)
    {
        if (blob.Length < 0 || blob.Length > MaximumBytes)
            throw new InvalidDataException($"blob {blob.Id} from {blob.Store} announces {blob.Length} bytes; at most {MaximumBytes} are accepted");
        var store = system.ActorSelection(blob.Store);
        var bytes = new byte[blob.Length];
        int chunks = (int)((blob.Length + BlobStoreActor.ChunkBytes - 1) / BlobStoreActor.ChunkBytes);
        for (int first = 0; first < chunks; first += InFlight)
        {
            var requests = Enumerable.Range(first, Math.Min(InFlight, chunks - first))
                .Select(i => store.Ask<object>(new FetchBlobChunk(blob.Id, i), ChunkTimeout, cancel));
            foreach (var reply in await Task.WhenAll(requests))
            {
                var answer = Verified(system, blob, reply);
                if (answer is JobFailed failure) throw new InvalidDataException($"blob {blob.Id} from {blob.Store}: {failure.Reason}");
                if (answer is not BlobChunk chunk || chunk.Id != blob.Id)
                    throw new InvalidDataException($"blob {blob.Id} from {blob.Store}: unexpected answer {answer.GetType().Name}");
                long offset = (long)chunk.Index * BlobStoreActor.ChunkBytes;
                long expected = Math.Min(BlobStoreActor.ChunkBytes, blob.Length - offset);
                if (chunk.Index < 0 || chunk.Index >= chunks || chunk.Bytes.Length != expected)
                    throw new InvalidDataException($"blob {blob.Id} from {blob.Store}: chunk {chunk.Index} has {chunk.Bytes.Length} bytes, expected {expected}");
                chunk.Bytes.CopyTo(bytes, offset);
            }
        }
        var hash = Convert.ToHexString(SHA256.HashData(bytes));
        if (!string.Equals(hash, blob.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"blob {blob.Id} from {blob.Store}: SHA-256 {hash} does not match the announced {blob.Sha256}");
        return bytes;
    }

    private static object Verified(ActorSystem system, BlobRef blob, object reply)
    {
        try
        {
            return AskReplies.Verified(system, reply);
        }
        catch (SerializationException e)
        {
            throw new InvalidDataException($"blob {blob.Id} from {blob.Store}: {e.Message}", e);
        }
    }
}
