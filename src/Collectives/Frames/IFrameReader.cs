namespace QuantCluster.Collectives.Frames;

/// <summary>Receives ring frames from the previous rank and refuses, naming it, any frame that is out of order, of the wrong size or corrupt.</summary>
internal interface IFrameReader : IAsyncDisposable
{
    /// <summary>The transport's name for logs: "tcp" or "shared memory".</summary>
    string Transport { get; }

    /// <summary>Reads the next frame's payload into <paramref name="destination"/>, whose length the frame must match exactly.</summary>
    ValueTask ReadAsync(Memory<byte> destination, CancellationToken cancel);

    /// <summary>Reads the next frame, which must hold exactly <paramref name="target"/>.Length floats, and adds it into <paramref name="target"/>.</summary>
    ValueTask ReadAddAsync(Memory<float> target, CancellationToken cancel);
}
