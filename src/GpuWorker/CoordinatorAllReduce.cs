using Akka.Actor;
using QuantCluster.Collectives;
using QuantCluster.Messages.Training;

namespace QuantCluster.GpuWorker;

/// <summary>
/// The coordinator gradient exchange behind <see cref="IAllReduce"/>, for workers that cannot reach each other: each
/// call sends this replica's share to the coordinator's GradientAveragerActor in frame-sized slices
/// (<see cref="LocalGradients"/>) and completes when every slice of the sum has come back (<see cref="AveragedGradients"/>,
/// which the worker actor hands to <see cref="Deliver"/>). The averager adds the shares in rank order, so every replica
/// gets the same bits. One instance serves one epoch; its calls are the epoch's steps, in order.
/// </summary>
public sealed class CoordinatorAllReduce(IActorRef averager, string jobId, int epoch, int rank, int worldSize) : IAllReduce
{
    private readonly Lock _gate = new();
    private ChunkAssembly? _sum;
    private Pending? _pending;
    private int _step;

    public int Rank => rank;

    public int WorldSize => worldSize;

    public async ValueTask SumAsync(Memory<float> values, CancellationToken cancel)
    {
        Pending pending;
        lock (_gate)
        {
            if (_pending is not null) throw new InvalidOperationException($"step {_step} is still being summed");
            pending = _pending = new Pending(values, _step);
        }
        foreach (var (offset, slice) in GradientChunks.Split(values))
            averager.Tell(new LocalGradients(jobId, epoch, pending.Step, rank, slice, offset, values.Length));
        try
        {
            await pending.Done.Task.WaitAsync(cancel);
        }
        finally
        {
            lock (_gate)
            {
                _pending = null;
                _step++;
            }
        }
    }

    /// <summary>One slice of a step's sum; the step's call completes with the last, or fails if a slice is not the one expected.</summary>
    public void Deliver(AveragedGradients m)
    {
        lock (_gate)
        {
            if (_pending is not { } pending) return; // the step was cancelled; its sum has no one to go to
            if (m.Epoch != epoch || m.Step != pending.Step)
            {
                pending.Done.TrySetException(new InvalidDataException($"update for epoch {m.Epoch} step {m.Step} arrived during epoch {epoch} step {pending.Step}"));
                return;
            }
            var sum = _sum = ChunkAssembly.For(_sum, m.Total);
            if (sum.Add(m.Offset, m.Total, m.Values) is { } wrong)
            {
                pending.Done.TrySetException(new InvalidDataException($"update for step {m.Step}: {wrong}"));
                return;
            }
            if (!sum.Complete) return;
            if (sum.Total != pending.Values.Length)
            {
                pending.Done.TrySetException(new InvalidDataException($"update for step {m.Step} has {sum.Total} values, the share had {pending.Values.Length}"));
                return;
            }
            sum.Values.CopyTo(pending.Values);
            // The buffer can take the next step's slices: the sum is already in the caller's values.
            sum.Reset();
            pending.Done.TrySetResult();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed record Pending(Memory<float> Values, int Step)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
