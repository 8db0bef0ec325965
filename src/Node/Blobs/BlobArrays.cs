using System.Buffers.Binary;
using Akka.Actor;
using QuantCluster.Messages.Blobs;

namespace QuantCluster.Node.Blobs;

/// <summary>
/// Integer arrays that grow with the data (calibration sample indices, histogram counts) as little-endian blobs, so they
/// travel in <see cref="BlobStoreActor.ChunkBytes"/> chunks instead of one message over the frame size.
/// </summary>
public static class BlobArrays
{
    public static Task<BlobRef> StoreAsync(IActorRef store, IReadOnlyList<int> values)
    {
        var bytes = new byte[checked(values.Count * sizeof(int))];
        for (int i = 0; i < values.Count; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), values[i]);
        return BlobTransfer.StoreAsync(store, bytes);
    }

    public static Task<BlobRef> StoreAsync(IActorRef store, IReadOnlyList<long> values)
    {
        var bytes = new byte[checked(values.Count * sizeof(long))];
        for (int i = 0; i < values.Count; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        return BlobTransfer.StoreAsync(store, bytes);
    }

    public static async Task<int[]> FetchInt32Async(ActorSystem system, BlobRef blob, CancellationToken cancel)
    {
        var bytes = await FetchMultipleOfAsync(system, blob, sizeof(int), cancel);
        var values = new int[bytes.Length / sizeof(int)];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * sizeof(int)));
        return values;
    }

    public static async Task<long[]> FetchInt64Async(ActorSystem system, BlobRef blob, CancellationToken cancel)
    {
        var bytes = await FetchMultipleOfAsync(system, blob, sizeof(long), cancel);
        var values = new long[bytes.Length / sizeof(long)];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * sizeof(long)));
        return values;
    }

    private static async Task<byte[]> FetchMultipleOfAsync(ActorSystem system, BlobRef blob, int elementBytes, CancellationToken cancel)
    {
        var bytes = await BlobTransfer.FetchAsync(system, blob, cancel);
        if (bytes.Length % elementBytes != 0)
            throw new InvalidDataException($"blob {blob.Id} from {blob.Store} has {bytes.Length} bytes, not a whole number of {elementBytes}-byte values");
        return bytes;
    }
}
