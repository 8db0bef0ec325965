using System.Security.Cryptography;
using Akka.Actor;
using QuantCluster.Messages;
using QuantCluster.Messages.Blobs;

namespace QuantCluster.Node.Blobs;

/// <summary>
/// Holds a node's outgoing large payloads (model checkpoints) and serves them in chunks. It keeps the most recent few;
/// a job fetches a blob right after it is named, so older ones can go.
/// </summary>
public sealed class BlobStoreActor : ReceiveActor
{
    /// <summary>Half of Akka.Remote's default 128,000-byte frame, leaving room for the envelope.</summary>
    public const int ChunkBytes = 64 * 1024;

    private const int Capacity = 16;

    private readonly Dictionary<string, byte[]> _blobs = [];
    private readonly Queue<string> _order = new();
    private readonly string _node;

    public BlobStoreActor(string node)
    {
        _node = node;
        var self = Self.Path.ToStringWithAddress(((ExtendedActorSystem)Context.System).Provider.DefaultAddress);
        Receive<PutBlob>(m =>
        {
            var id = Guid.NewGuid().ToString("N");
            _blobs[id] = m.Bytes;
            _order.Enqueue(id);
            while (_order.Count > Capacity) _blobs.Remove(_order.Dequeue());
            Sender.Tell(new BlobRef(self, id, m.Bytes.LongLength, Convert.ToHexString(SHA256.HashData(m.Bytes))));
        });
        Receive<FetchBlobChunk>(m =>
        {
            if (!_blobs.TryGetValue(m.Id, out var bytes))
            {
                Sender.Tell(new JobFailed("", _node, $"blob {m.Id} is not held here (it expired or was never stored)"));
                return;
            }
            long start = (long)m.Index * ChunkBytes;
            if (m.Index < 0 || start >= Math.Max(1, bytes.LongLength))
            {
                Sender.Tell(new JobFailed("", _node, $"blob {m.Id} has no chunk {m.Index}"));
                return;
            }
            int length = (int)Math.Min(ChunkBytes, bytes.LongLength - start);
            Sender.Tell(new BlobChunk(m.Id, m.Index, bytes.AsSpan((int)start, length).ToArray()));
        });
    }

    public static Props Props(string node) => Akka.Actor.Props.Create(() => new BlobStoreActor(node));
}

/// <summary>Stores bytes in the local blob store (a local message); the answer is the <see cref="BlobRef"/> others fetch it by.</summary>
public sealed record PutBlob(byte[] Bytes) : INoSerializationVerificationNeeded;
