using System.Diagnostics;
using Akka.Actor;
using QuantCluster.Collectives;
using QuantCluster.Messages;
using QuantCluster.Messages.Training;

namespace QuantCluster.Coordinator.Actors;

/// <summary>
/// Runs the epochs of one training phase on the workers, Idle --RunEpoch--> Running --every replica done or a failure--> Idle.
/// With the coordinator exchange (`qat.gradient_exchange: coordinator`, for workers that cannot reach each other) it is
/// also the exchange: each step it waits for every replica's share, sums them in rank order (so every replica receives
/// bit-identical values) and sends the sum back. At the end of an epoch it checks that all replicas report the same
/// parameter hash, and answers whoever started the epoch. A failure, or the averager stopping mid-epoch, is told to
/// every worker too, so replicas waiting in an exchange stop instead of waiting for shares that will not come.
/// </summary>
public sealed class GradientAveragerActor : ReceiveActor
{
    private readonly IReadOnlyList<IActorRef> _workers;
    private readonly ChunkAssembly?[] _shares;
    private readonly EpochCompleted?[] _completed;
    private RunEpoch? _running;
    private IActorRef? _lost;

    public GradientAveragerActor(IReadOnlyList<IActorRef> workers)
    {
        _workers = workers;
        _shares = new ChunkAssembly[workers.Count];
        _completed = new EpochCompleted[workers.Count];
        // A worker whose node dies must fail the epoch now, not when the epoch's timeout runs out.
        foreach (var worker in workers) Context.Watch(worker);
        Idle();
    }

    public static Props Props(IReadOnlyList<IActorRef> workers) => Akka.Actor.Props.Create(() => new GradientAveragerActor(workers));

    protected override void PostStop()
    {
        if (_running is { } epoch) TellWorkers(new JobFailed(epoch.JobId, "gradient averager", $"epoch {epoch.Epoch + 1} was stopped by the coordinator"));
    }

    // Shares, results and failures that arrive here belong to an epoch that already failed: the job has its answer.
    private void Idle()
    {
        Receive<RunEpoch>(m =>
        {
            if (_lost is { } lost) Sender.Tell(new JobFailed(m.JobId, "gradient averager", Gone(lost)));
            else Start(m);
        });
        Receive<Terminated>(t => _lost = t.ActorRef);
        ReceiveAny(_ => { });
    }

    private static string Gone(IActorRef worker) => $"{worker.Path} is gone (its node left the cluster or died)";

    private void Running(RunEpoch epoch, IActorRef requester, Stopwatch clock)
    {
        int step = 0;
        Receive<LocalGradients>(m =>
        {
            if (Collect(epoch, step, m) is { } failure) Fail(requester, failure);
            else if (_shares.All(s => s is { Complete: true })) SendSum(epoch, step++, requester);
        });
        Receive<EpochCompleted>(m => Complete(epoch, m, requester, clock));
        Receive<JobFailed>(f => Fail(requester, f));
        Receive<Terminated>(t =>
        {
            _lost = t.ActorRef;
            Fail(requester, new JobFailed(epoch.JobId, "gradient averager", $"{Gone(t.ActorRef)} during epoch {epoch.Epoch + 1}"));
        });
        Receive<RunEpoch>(m => Sender.Tell(new JobFailed(m.JobId, "gradient averager", $"epoch {m.Epoch + 1} requested while epoch {epoch.Epoch + 1} runs")));
    }

    private void Start(RunEpoch m)
    {
        Array.Clear(_shares);
        Array.Clear(_completed);
        _running = m;
        var requester = Sender;
        var clock = Stopwatch.StartNew();
        Become(() => Running(m, requester, clock));
        TellWorkers(m);
    }

    // Null when the slice is in place, else the failure it is.
    private JobFailed? Collect(RunEpoch epoch, int step, LocalGradients m)
    {
        if ((Unexpected(epoch, m.JobId, m.Epoch, m.Rank) ?? (m.Step != step ? $"sent gradients for step {m.Step} while step {step} runs" : null)) is { } problem)
            return new JobFailed(m.JobId, $"worker {m.Rank}", problem);
        var share = _shares[m.Rank] = ChunkAssembly.For(_shares[m.Rank], m.Total);
        if (share.Add(m.Offset, m.Total, m.Values) is { } wrong) return new JobFailed(m.JobId, $"worker {m.Rank}", $"step {m.Step}: {wrong}");
        Metrics.GradientBytes.Add(m.Values.LongLength * sizeof(float));
        return null;
    }

    private void SendSum(RunEpoch epoch, int step, IActorRef requester)
    {
        var sum = SumInRankOrder([.. _shares.Select(s => s!.Values)], out var mismatch);
        if (sum is null)
        {
            Fail(requester, new JobFailed(epoch.JobId, "gradient averager", mismatch!));
            return;
        }
        // The sum is a copy, so the shares' buffers can take the next step's slices.
        foreach (var assembly in _shares) assembly!.Reset();
        foreach (var (offset, slice) in GradientChunks.Split(sum))
        {
            var update = new AveragedGradients(epoch.JobId, epoch.Epoch, step, slice, offset, sum.Length);
            TellWorkers(update);
        }
    }

    private void Complete(RunEpoch epoch, EpochCompleted m, IActorRef requester, Stopwatch clock)
    {
        if (Unexpected(epoch, m.JobId, m.Epoch, m.Rank) is { } problem)
        {
            Fail(requester, new JobFailed(m.JobId, $"worker {m.Rank}", problem));
            return;
        }
        _completed[m.Rank] = m;
        if (_completed.Any(c => c is null)) return;
        var replicas = _completed.Select(c => c!).ToArray();
        if (replicas.Select(r => r.ParameterHash).Distinct().Count() > 1)
        {
            Fail(requester, new JobFailed(m.JobId, "gradient averager",
                $"replicas diverged after epoch {m.Epoch}: parameter hashes {string.Join(", ", replicas.Select(r => $"worker {r.Rank}={r.ParameterHash}"))}"));
            return;
        }
        requester.Tell(new EpochOutcome(m.Epoch, replicas, clock.Elapsed.TotalSeconds));
        _running = null;
        Become(Idle);
    }

    private string? Unexpected(RunEpoch epoch, string jobId, int epochNumber, int rank) =>
        jobId != epoch.JobId ? $"sent a result for job {jobId}, not {epoch.JobId}"
        : epochNumber != epoch.Epoch ? $"sent a result for epoch {epochNumber} during epoch {epoch.Epoch}"
        : rank < 0 || rank >= _workers.Count ? $"claims rank {rank} of {_workers.Count}"
        : null;

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

    // The job learns why; the workers learn to stop, since none of them can finish an epoch another has left.
    private void Fail(IActorRef requester, JobFailed failure)
    {
        requester.Tell(failure);
        TellWorkers(failure);
        _running = null;
        Become(Idle);
    }

    private void TellWorkers(object message)
    {
        foreach (var worker in _workers) worker.Tell(message);
    }
}
