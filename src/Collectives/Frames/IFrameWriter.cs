namespace QuantCluster.Collectives.Frames;

/// <summary>Sends ring frames to the next rank, over whichever transport the two agreed on.</summary>
internal interface IFrameWriter : IAsyncDisposable
{
    /// <summary>The transport's name for logs: "tcp" or "shared memory".</summary>
    string Transport { get; }

    /// <summary>Sends one frame; the caller may reuse <paramref name="payload"/> once this completes.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> payload, CancellationToken cancel);
}
