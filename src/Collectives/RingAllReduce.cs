namespace QuantCluster.Collectives;

/// <summary>Bandwidth-optimal all-reduce over a ring: reduce-scatter then all-gather, each rank sending 2(N-1)/N of the bytes.</summary>
/// <remarks>
/// The buffer is split into one segment per rank and every segment into chunks of a fixed size, so no frame is large
/// and a chunk can travel on as soon as it has arrived (a send loop and a receive loop run at once). Segment j is summed
/// in the fixed order x_j + x_(j+1) + ... + x_(j-1) and then copied around the ring, so every rank ends with the same
/// bits, run after run.
/// </remarks>
public sealed class RingAllReduce : IAllReduce
{
    /// <summary>Floats per frame when the caller does not choose: 256 KiB, small enough to pipeline, large enough to amortize a frame.</summary>
    public const int DefaultChunkFloats = 64 * 1024;

    private readonly IRingLink _link;
    private readonly int _chunkFloats;
    private Exception? _failure;

    /// <summary>Runs the ring over <paramref name="link"/>, which this instance then owns.</summary>
    public RingAllReduce(IRingLink link, int chunkFloats = DefaultChunkFloats)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkFloats, 1);
        _link = link;
        _chunkFloats = chunkFloats;
    }

    /// <inheritdoc />
    public int Rank => _link.Rank;

    /// <inheritdoc />
    public int WorldSize => _link.WorldSize;

    /// <inheritdoc />
    public async ValueTask SumAsync(Memory<float> values, CancellationToken cancel)
    {
        if (_failure is not null)
        {
            // The link's position in its byte stream is unknown after a failure; reusing it could misread a frame.
            throw new InvalidOperationException($"Rank {Rank}'s ring failed earlier and cannot be reused: {_failure.Message}", _failure);
        }

        cancel.ThrowIfCancellationRequested();
        if (WorldSize == 1 || values.IsEmpty)
        {
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        using var received = new SemaphoreSlim(0);
        var receive = StopOthersOnFailure(ReceiveLoopAsync(values, received, stop.Token), stop);
        var send = StopOthersOnFailure(SendLoopAsync(values, received, stop.Token), stop);
        var both = Task.WhenAll(receive, send);
        try
        {
            await both;
        }
        catch (Exception) when (both.Exception is not null)
        {
            // The loop that failed first holds the cause; the other one only saw the cancellation that followed.
            var cause = both.Exception.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException)
                        ?? both.Exception.InnerExceptions[0];
            await FailAsync(cause);
            if (cause is OperationCanceledException && cancel.IsCancellationRequested)
            {
                throw new OperationCanceledException($"Rank {Rank}'s all-reduce was cancelled.", cause, cancel);
            }

            throw cause is RingTransportException
                ? cause
                : new RingTransportException($"Rank {Rank}'s all-reduce failed: {cause.Message}", cause);
        }
        catch (OperationCanceledException e)
        {
            await FailAsync(e);
            throw;
        }
    }

    private async ValueTask FailAsync(Exception cause)
    {
        _failure = cause;
        // Closing the link tells both neighbours at once, so the failure travels around the ring instead of every
        // other rank waiting for a frame that will never come.
        await _link.DisposeAsync();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _link.DisposeAsync();

    private static async Task StopOthersOnFailure(Task loop, CancellationTokenSource stop)
    {
        try
        {
            await loop;
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
    }

    private async Task SendLoopAsync(Memory<float> values, SemaphoreSlim received, CancellationToken cancel)
    {
        var n = WorldSize;
        var firstReceivedChunkOfStep = ReceiveOrder(values.Length);
        var consumed = 0;
        for (var step = 0; step < 2 * (n - 1); step++)
        {
            var (offset, length) = RingSegments.Segment(values.Length, n, RingSegments.SentAt(Rank, step, n));
            var chunks = RingSegments.ChunkCount(length, _chunkFloats);
            for (var c = 0; c < chunks; c++)
            {
                if (step > 0)
                {
                    // What goes out at this step is what came in (and was added to) at the step before, chunk by chunk.
                    var needed = firstReceivedChunkOfStep[step - 1] + c;
                    while (consumed <= needed)
                    {
                        await received.WaitAsync(cancel);
                        consumed++;
                    }
                }

                var start = c * _chunkFloats;
                await _link.SendAsync(values.Slice(offset + start, Math.Min(_chunkFloats, length - start)), cancel);
            }
        }
    }

    private async Task ReceiveLoopAsync(Memory<float> values, SemaphoreSlim received, CancellationToken cancel)
    {
        var n = WorldSize;
        for (var step = 0; step < 2 * (n - 1); step++)
        {
            var (offset, length) = RingSegments.Segment(values.Length, n, RingSegments.SentAt(Rank, step + 1, n));
            var chunks = RingSegments.ChunkCount(length, _chunkFloats);
            for (var c = 0; c < chunks; c++)
            {
                var start = c * _chunkFloats;
                var target = values.Slice(offset + start, Math.Min(_chunkFloats, length - start));
                if (step < n - 1)
                {
                    await _link.ReceiveAddAsync(target, cancel);
                }
                else
                {
                    // All-gather overwrites a region this rank sent N-1 steps ago; the frame now arriving was produced
                    // from that send after it went all the way around, so the link has finished with it.
                    await _link.ReceiveAsync(target, cancel);
                }

                received.Release();
            }
        }
    }

    /// <summary>Index, in the order frames arrive, of the first frame of each step.</summary>
    private int[] ReceiveOrder(int total)
    {
        var n = WorldSize;
        var first = new int[2 * (n - 1)];
        var index = 0;
        for (var step = 0; step < first.Length; step++)
        {
            first[step] = index;
            index += RingSegments.ChunkCount(RingSegments.Segment(total, n, RingSegments.SentAt(Rank, step + 1, n)).Length, _chunkFloats);
        }

        return first;
    }
}
