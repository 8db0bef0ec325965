using System.Diagnostics;
using Akka.Actor;
using QuantCluster.Collectives;
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

    private static async Task StepsAsync(Replica replica, IAllReduce exchange, RunEpoch epoch, CancellationToken cancel)
    {
        var trainer = replica.Trainer;
        trainer.BeginEpoch(epoch.Epoch, epoch.ObserveActivations, epoch.FreezeBatchNorm);
        for (int step = 0; step < trainer.Steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            var share = trainer.ComputeShare(step);
            await exchange.SumAsync(share, cancel);
            trainer.ApplySum(share);
        }
    }
}

/// <summary>The run's steps all completed (a local message).</summary>
internal sealed record EpochEnded(EpochRun Run) : INoSerializationVerificationNeeded;

/// <summary>The run stopped at a step: its trainer or exchange threw, or it was cancelled (a local message).</summary>
internal sealed record EpochFailed(EpochRun Run, Exception Cause) : INoSerializationVerificationNeeded;
