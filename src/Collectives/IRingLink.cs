namespace QuantCluster.Collectives;

/// <summary>One rank's two ring connections: frames of floats to the next rank and from the previous one.</summary>
/// <remarks>
/// One sender and one receiver may use a link at the same time. A link must be done with the values handed to
/// <see cref="SendAsync"/> before the next rank can observe them (copy them or write them out), because the ring
/// overwrites a region once data that depends on it has come back around. A failed link stays failed.
/// </remarks>
public interface IRingLink : IAsyncDisposable
{
    /// <summary>This rank's position in the ring.</summary>
    int Rank { get; }

    /// <summary>How many ranks the ring has.</summary>
    int WorldSize { get; }

    /// <summary>The previous rank, as error messages name it.</summary>
    string PreviousPeer { get; }

    /// <summary>The next rank, as error messages name it.</summary>
    string NextPeer { get; }

    /// <summary>Sends one frame holding <paramref name="values"/> to the next rank.</summary>
    ValueTask SendAsync(ReadOnlyMemory<float> values, CancellationToken cancel);

    /// <summary>Receives the previous rank's next frame, which must hold exactly <paramref name="destination"/>.Length floats.</summary>
    ValueTask ReceiveAsync(Memory<float> destination, CancellationToken cancel);

    /// <summary>Receives the previous rank's next frame, which must hold exactly <paramref name="target"/>.Length floats, and adds it into <paramref name="target"/> element by element.</summary>
    /// <remarks>A transport that can read the frame where it lies (shared memory) adds from there, saving a copy of every received byte.</remarks>
    ValueTask ReceiveAddAsync(Memory<float> target, CancellationToken cancel);
}
