using MessagePack;

namespace QuantCluster.Messages.Blobs;

/// <summary>
/// A large payload (a model checkpoint) held by a node's blob store, named instead of sent: receivers pull it in chunks
/// small enough for Akka.Remote's default frame, and check its SHA-256. Store is the store actor's full path.
/// </summary>
[MessagePackObject]
public sealed record BlobRef(
    [property: Key(0)] string Store,
    [property: Key(1)] string Id,
    [property: Key(2)] long Length,
    [property: Key(3)] string Sha256);

/// <summary>Asks a blob store for one chunk of a blob.</summary>
[MessagePackObject]
public sealed record FetchBlobChunk(
    [property: Key(0)] string Id,
    [property: Key(1)] int Index);

/// <summary>One chunk of a blob: bytes [Index * chunk size, ...) of it.</summary>
[MessagePackObject]
public sealed record BlobChunk(
    [property: Key(0)] string Id,
    [property: Key(1)] int Index,
    [property: Key(2)] byte[] Bytes);
