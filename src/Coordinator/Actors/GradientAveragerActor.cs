using System.Diagnostics;
using Akka.Actor;
using QuantCluster.Collectives;
using QuantCluster.Messages;
using QuantCluster.Messages.Training;

namespace QuantCluster.Coordinator.Actors;

/// <summary>
/// The coordinator-side gradient exchange (`qat.gradient_exchange: coordinator`, for workers that cannot reach each
/// other): each step it waits for every replica's share, sums them in rank order
/// (so every replica receives bit-identical values) and sends the sum back. At the end of an epoch it checks that all
/// replicas report the same parameter hash, and answers whoever started the epoch.
/// </summary>
public sealed class GradientAveragerActor : ReceiveActor
{
    private readonly IReadOnlyList<IActorRef> _workers;
    private readonly ChunkAssembly?[] _shares;
    private readonly EpochCompleted?[] _completed;
    private IActorRef _requester = ActorRefs.Nobody;
    private RunEpoch? _epoch;
    private int _step;
    private Stopwatch _clock = new();

    public GradientAveragerActor(IReadOnlyList<IActorRef> workers)
    {
        _workers = workers;
        _shares = new ChunkAssembly[workers.Count];
        _completed = new EpochCompleted[workers.Count];
        Receive<RunEpoch>(Start);
        Receive<LocalGradients>(Collect);
        Receive<EpochCompleted>(Complete);
        Receive<JobFailed>(f => Fail(f));
    }

    public static Props Props(IReadOnlyList<IActorRef> workers) => Akka.Actor.Props.Create(() => new GradientAveragerActor(workers));

    private void Start(RunEpoch m)
    {
        if (_epoch is not null) throw new InvalidOperationException($"epoch {m.Epoch} requested while epoch {_epoch.Epoch} runs");
        _requester = Sender;
        _epoch = m;
        _step = 0;
        Array.Clear(_shares);
        Array.Clear(_completed);
        _clock = Stopwatch.StartNew();
        foreach (var worker in _workers) worker.Tell(m);
    }

    private void Collect(LocalGradients m)
    {
        if (!Expect(m.JobId, m.Epoch, m.Rank, out var problem) || m.Step != _step)
        {
            Fail(new JobFailed(m.JobId, $"worker {m.Rank}", problem ?? $"sent gradients for step {m.Step} while step {_step} runs"));
            return;
        }
        var share = _shares[m.Rank] = ChunkAssembly.For(_shares[m.Rank], m.Total);
        if (share.Add(m.Offset, m.Total, m.Values) is { } wrong)
        {
            Fail(new JobFailed(m.JobId, $"worker {m.Rank}", $"step {m.Step}: {wrong}"));
            return;
        }
        Metrics.GradientBytes.Add(m.Values.LongLength * sizeof(float));
        if (_shares.Any(s => s is not { Complete: true })) return;

        var sum = SumInRankOrder([.. _shares.Select(s => s!.Values)], out var mismatch);
        if (sum is null)
        {
            Fail(new JobFailed(m.JobId, "gradient averager", mismatch!));
            return;
        }
        // The sum is a copy, so the shares' buffers can take the next step's slices.
        foreach (var assembly in _shares) assembly!.Reset();
        foreach (var (offset, slice) in GradientChunks.Split(sum))
        {
            var update = new AveragedGradients(m.JobId, m.Epoch, _step, slice, offset, sum.Length);
            foreach (var worker in _workers) worker.Tell(update);
        }
        _step++;
    }

    private void Complete(EpochCompleted m)
    {
        if (!Expect(m.JobId, m.Epoch, m.Rank, out var problem))
        {
            Fail(new JobFailed(m.JobId, $"worker {m.Rank}", problem!));
            return;
        }
        _completed[m.Rank] = m;
        if (_completed.Any(c => c is null)) return;
        var replicas = _completed.Select(c => c!).ToArray();
        var hashes = replicas.Select(r => r.ParameterHash).Distinct().ToArray();
        if (hashes.Length > 1)
        {
            Fail(new JobFailed(m.JobId, "gradient averager",
                $"replicas diverged after epoch {m.Epoch}: parameter hashes {string.Join(", ", replicas.Select(r => $"worker {r.Rank}={r.ParameterHash}"))}"));
            return;
        }
        _requester.Tell(new EpochOutcome(m.Epoch, replicas, _clock.Elapsed.TotalSeconds));
        _epoch = null;
    }

    private bool Expect(string jobId, int epoch, int rank, out string? problem)
    {
        problem = _epoch is null ? "sent a result while no epoch runs"
            : jobId != _epoch.JobId ? $"sent a result for job {jobId}, not {_epoch.JobId}"
            : epoch != _epoch.Epoch ? $"sent a result for epoch {epoch} during epoch {_epoch.Epoch}"
            : rank < 0 || rank >= _workers.Count ? $"claims rank {rank} of {_workers.Count}"
            : null;
        return problem is null;
    }

    private static float[]? SumInRankOrder(float[][] shares, out string? mismatch)
    {
        int length = shares[0].Length;
        mismatch = shares.Select((s, r) => (s, r)).Where(x => x.s.Length != length)
            .Select(x => $"worker {x.r} sent {x.s.Length} values, worker 0 sent {length}").FirstOrDefault();
        if (mismatch is not null) return null;
        var sum = (float[])shares[0].Clone();
        for (int r = 1; r < shares.Length; r++) FloatSum.AddInPlace(sum, shares[r]);
        return sum;
    }

    private void Fail(JobFailed failure)
    {
        if (_epoch is null && _requester.IsNobody()) return;
        _requester.Tell(failure);
        _epoch = null;
    }
}
