using System.Threading.Channels;

namespace QuantCluster.Collectives.InProcess;

/// <summary>A ring link inside one process: every frame is a copy handed over through a channel.</summary>
internal sealed class InProcessRingLink(int rank, int worldSize, ChannelWriter<float[]> toNext, ChannelReader<float[]> fromPrevious) : IRingLink
{
    public int Rank => rank;

    public int WorldSize => worldSize;

    public string PreviousPeer => $"in-process rank {(rank + worldSize - 1) % worldSize}";

    public string NextPeer => $"in-process rank {(rank + 1) % worldSize}";

    public ValueTask SendAsync(ReadOnlyMemory<float> values, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        // A copy, so the sender may overwrite its buffer as soon as this returns.
        if (!toNext.TryWrite(values.ToArray()))
        {
            throw new RingTransportException($"Rank {rank} cannot send: {NextPeer} has left the ring.");
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask ReceiveAsync(Memory<float> destination, CancellationToken cancel) =>
        (await TakeFrameAsync(destination.Length, cancel)).CopyTo(destination);

    public async ValueTask ReceiveAddAsync(Memory<float> target, CancellationToken cancel)
    {
        var frame = await TakeFrameAsync(target.Length, cancel);
        FloatSum.AddInPlace(target.Span, frame);
    }

    private async ValueTask<float[]> TakeFrameAsync(int expectedLength, CancellationToken cancel)
    {
        float[] frame;
        try
        {
            frame = await fromPrevious.ReadAsync(cancel);
        }
        catch (ChannelClosedException e)
        {
            throw new RingTransportException($"{PreviousPeer} left the ring before rank {rank} received its frame.", e);
        }

        if (frame.Length != expectedLength)
        {
            throw new RingTransportException(
                $"Frame from {PreviousPeer} carries {frame.Length} floats where {expectedLength} were expected (ranks passed buffers of different lengths?).");
        }

        return frame;
    }

    public ValueTask DisposeAsync()
    {
        toNext.TryComplete();
        return ValueTask.CompletedTask;
    }
}
