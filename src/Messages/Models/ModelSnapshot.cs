using MessagePack;
using QuantCluster.Messages.Blobs;

namespace QuantCluster.Messages.Models;

/// <summary>
/// A model's whole state: the zoo architecture's name and its checkpoint (parameters, buffers and quantization state),
/// held in the sender's blob store and pulled in chunks, so no message grows with the model.
/// </summary>
[MessagePackObject]
public sealed record ModelSnapshot(
    [property: Key(0)] string Architecture,
    [property: Key(1)] BlobRef Checkpoint);
