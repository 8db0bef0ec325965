using System.Diagnostics;
using Akka.Actor;
using QuantCluster.Collectives;
using QuantCluster.Messages;
using QuantCluster.Messages.Training;

namespace QuantCluster.GpuWorker;

/// <summary>
/// One epoch of one replica, run off the actor's thread so the actor stays free to hear a failure or a stop: each step
/// the replica's share, summed with the other replicas' by <see cref="Exchange"/> (the ring or the coordinator, the same
/// loop for both), then applied. It tells the actor <see cref="EpochEnded"/> or <see cref="EpochFailed"/>.
/// </summary>
internal sealed class EpochRun : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private EpochRun(RunEpoch epoch, IAllReduce exchange)
    {
        Epoch = epoch;
        Exchange = exchange;
    }

    public RunEpoch Epoch { get; }

    public IAllReduce Exchange { get; }

    public double Seconds => _clock.Elapsed.TotalSeconds;

    /// <summary>Completes when the steps have stopped touching the replica, however the epoch ended.</summary>
    public Task Finished { get; private set; } = Task.CompletedTask;

    public static EpochRun Start(Replica replica, IAllReduce exchange, RunEpoch epoch, IActorRef actor)
    {
        var run = new EpochRun(epoch, exchange);
        run.Finished = Task.Run(() => StepsAsync(replica, exchange, epoch, run._stop.Token));
        run.Finished.ContinueWith(
            t => actor.Tell(t.IsCompletedSuccessfully ? new EpochEnded(run)
                : new EpochFailed(run, t.Exception?.GetBaseException() ?? new OperationCanceledException($"epoch {epoch.Epoch + 1} was stopped"))),
            TaskScheduler.Default);
        return run;
    }

    /// <summary>Stops the epoch: the step in progress ends at its next exchange or the next step boundary.</summary>
    public void Cancel() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();

    /// <summary>Every this many steps one is traced (a span for the step, one for its all-reduce): enough to see where a step's time goes without a span per millisecond.</summary>
    public const int TracedStepInterval = 50;

    private static async Task StepsAsync(Replica replica, IAllReduce exchange, RunEpoch epoch, CancellationToken cancel)
    {
        using var span = Tracing.StartChild("worker.epoch", epoch.TraceParent);
        span?.SetTag("quantcluster.epoch", epoch.Epoch + 1);
        span?.SetTag("quantcluster.rank", replica.Job.Rank);
        var trainer = replica.Trainer;
        trainer.BeginEpoch(epoch.Epoch, epoch.ObserveActivations, epoch.FreezeBatchNorm);
        for (int step = 0; step < trainer.Steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            bool traced = step % TracedStepInterval == 0;
            using var stepSpan = traced ? Tracing.Source.StartActivity("worker.step")?.SetTag("quantcluster.step", step) : null;
            var share = trainer.ComputeShare(step);
            using (var sum = traced ? Tracing.Source.StartActivity("allreduce") : null)
            {
                sum?.SetTag("quantcluster.bytes", (long)share.Length * sizeof(float)).SetTag("quantcluster.exchange", exchange.GetType().Name);
                await exchange.SumAsync(share, cancel);
            }
            trainer.ApplySum(share);
        }
    }
}

/// <summary>The run's steps all completed (a local message).</summary>
internal sealed record EpochEnded(EpochRun Run) : INoSerializationVerificationNeeded;

/// <summary>The run stopped at a step: its trainer or exchange threw, or it was cancelled (a local message).</summary>
internal sealed record EpochFailed(EpochRun Run, Exception Cause) : INoSerializationVerificationNeeded;
