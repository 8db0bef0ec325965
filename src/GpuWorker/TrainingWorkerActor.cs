using Akka.Actor;
using Akka.Event;
using QuantCluster.Collectives;
using QuantCluster.Messages;
using QuantCluster.Messages.Membership;
using QuantCluster.Messages.Models;
using QuantCluster.Messages.Training;
using QuantCluster.Node;
using QuantCluster.Node.Blobs;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Training;

namespace QuantCluster.GpuWorker;

/// <summary>
/// One data-parallel replica on one device, as a state machine:
/// Idle --PrepareTraining--> Prepared --OpenRing--> RingOpened --ConnectRing--> RingConnected;
/// Prepared or RingConnected --RunEpoch--> Training --epoch ended--> back where it started; Training --epoch failed--> Idle.
/// PrepareTraining or OpenRing in any state between epochs starts over from there. An epoch sums each step's share with
/// the other replicas' through one <see cref="IAllReduce"/>: the ring once connected, else the coordinator
/// (<see cref="CoordinatorAllReduce"/>). The math lives in <see cref="ReplicaTrainer"/>, the loop in <see cref="EpochRun"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "An actor's resources are released in PostStop, which Akka calls.")]
public sealed class TrainingWorkerActor : ReceiveActor, IWithUnboundedStash
{
    private readonly string _node;
    private readonly WorkerProcess _process;
    private readonly Registration? _registration;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    // What PostStop must release whatever the state; which messages are accepted is the state's (Become) business.
    private Replica? _replica;
    private ReplicaRing? _ring;
    private EpochRun? _epoch;

    public TrainingWorkerActor(string node, WorkerProcess process, Registration? registration = null)
    {
        _node = node;
        _process = process;
        _registration = registration;
        Idle();
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(string node, WorkerProcess process, Registration? registration = null) =>
        Akka.Actor.Props.Create(() => new TrainingWorkerActor(node, process, registration));

    protected override void PreStart()
    {
        if (_registration is { } r)
            Context.ActorOf(RegistrarActor.Props(r, ClusterRoles.Worker), "registrar");
    }

    protected override void PostStop()
    {
        // PostStop cannot await: stop the epoch, and release the replica once its steps no longer touch it.
        var (replica, ring, epoch) = (_replica, _ring, _epoch);
        epoch?.Cancel();
        (epoch?.Finished ?? Task.CompletedTask).ContinueWith(async _ =>
        {
            try
            {
                if (ring is not null) await ring.DisposeAsync();
            }
            finally
            {
                replica?.Dispose();
                epoch?.Dispose();
            }
        }, TaskScheduler.Default).Unwrap();
    }

    // No replica: only PrepareTraining builds one.
    private void Idle()
    {
        Always();
        ReceiveAsync<PrepareTraining>(m => GuardedAsync(m.JobId, () => PrepareAsync(m)));
        Receive<OpenRing>(m => Refuse(m.JobId, $"ring {m.Ring}: OpenRing before PrepareTraining"));
        Receive<ConnectRing>(m => Refuse(m.JobId, "ConnectRing before PrepareTraining"));
        Receive<RunEpoch>(m => Refuse(m.JobId, $"epoch {m.Epoch + 1} requested before PrepareTraining"));
        Receive<FetchModel>(m => Refuse(m.JobId, "no model: PrepareTraining first"));
    }

    // A replica and no ring: its steps are summed at the coordinator.
    private void Prepared()
    {
        Always();
        BetweenEpochs();
        Receive<RunEpoch>(m => StartEpoch(m, new CoordinatorAllReduce(Sender, m.JobId, m.Epoch, _replica!.Job.Rank, _replica.Job.WorldSize), Prepared));
        Receive<ConnectRing>(m => Refuse(m.JobId, "ConnectRing before OpenRing"));
    }

    // In its process's ring session, waiting for the successor's endpoint.
    private void RingOpened()
    {
        Always();
        BetweenEpochs();
        ReceiveAsync<ConnectRing>(m => GuardedAsync(m.JobId, () => ConnectRingAsync(m)));
        Receive<RunEpoch>(m => Refuse(m.JobId, $"epoch {m.Epoch + 1} requested before ConnectRing"));
    }

    private void RingConnected(IAllReduce ring)
    {
        Always();
        BetweenEpochs();
        Receive<RunEpoch>(m => StartEpoch(m, ring, () => RingConnected(ring)));
        Receive<ConnectRing>(m => Refuse(m.JobId, "ConnectRing twice"));
    }

    // The epoch's steps run in the background; the actor hears the sums' slices (coordinator exchange), a stop, and the end.
    private void Training(EpochRun run, IActorRef requester, Action resume)
    {
        if (run.Exchange is CoordinatorAllReduce coordinator) Receive<AveragedGradients>(coordinator.Deliver);
        Receive<JobFailed>(m => m.JobId == _replica!.Job.JobId, _ => run.Cancel());
        Receive<EpochEnded>(m => m.Run == run, _ =>
        {
            requester.Tell(_replica!.Completed(run.Epoch.Epoch, run.Seconds));
            EndEpoch(run, resume);
        });
        ReceiveAsync<EpochFailed>(m => m.Run == run, async m =>
        {
            _log.Error(m.Cause, "{0} failed in epoch {1}", _node, run.Epoch.Epoch + 1);
            requester.Tell(new JobFailed(run.Epoch.JobId, _node, JobFailed.BoundedReason(m.Cause.Message)));
            // Weights stopped mid-epoch are no one's to train on or fetch. Leaving the ring also fails the siblings
            // in this process that wait for this replica's share, so they report instead of hanging.
            await ReleaseAsync();
            EndEpoch(run, Idle);
        });
        Always();
        ReceiveAny(_ => Stash.Stash());
    }

    // Between epochs with a replica: a new phase, a new ring, or the model.
    private void BetweenEpochs()
    {
        ReceiveAsync<PrepareTraining>(m => GuardedAsync(m.JobId, () => PrepareAsync(m)));
        ReceiveAsync<OpenRing>(m => GuardedAsync(m.JobId, () => OpenRingAsync(m)));
        ReceiveAsync<FetchModel>(m => GuardedAsync(m.JobId, () => FetchModelAsync(m)));
    }

    private void Always()
    {
        Receive<IRegistrationReply>(m => Context.Child("registrar").Forward(m));
        // A job's failure concerns a replica only while it trains (Training stops its epoch); otherwise there is nothing to stop.
        Receive<JobFailed>(_ => { });
        // Slices of a sum the averager sent before this replica's epoch ended or failed: nothing waits for them now.
        Receive<AveragedGradients>(_ => { });
    }

    private async Task PrepareAsync(PrepareTraining m)
    {
        using var activity = Tracing.StartChild("worker.prepare", m.TraceParent);
        var checkpoint = await BlobTransfer.FetchAsync(Context.System, m.Model.Checkpoint, CancellationToken.None);
        await ReleaseAsync();
        Become(Idle);
        var settings = m.Settings;
        var (device, overrides) = PlanOverrides.Apply(settings, _registration?.Device, _process.TorchThreads);
        foreach (var line in overrides) _log.Warning("{0}: {1}", _node, line);
        var network = ModelCheckpoint.FromBytes(checkpoint, $"model sent to {_node}", settings.Quantization.Activations, m.Model.Architecture);
        var all = _process.Data.Get(DataSources.FromWire(m.Data), ModelZoo.Signature(m.Model.Architecture));
        var training = DataSplit.HoldOut(all.Count, settings.HeldOutSamples, settings.Seed).TrainingImages(all);
        _replica = Replica.Create(network, training, m, device);
        Sender.Tell(new WorkerReady(m.JobId, m.Rank, ParameterHash.Of(_replica.Network)));
        Become(Prepared);
    }

    private async Task OpenRingAsync(OpenRing m)
    {
        await LeaveRingAsync();
        Become(Prepared);
        _ring = await _process.Rings.JoinAsync(m, _process.RingHost);
        Sender.Tell(new RingEndpoint(m.JobId, m.Rank, _process.RingHost, _ring.Port));
        Become(RingOpened);
    }

    private async Task ConnectRingAsync(ConnectRing m)
    {
        var ring = await _ring!.ConnectAsync(m.NextHost, m.NextPort);
        Sender.Tell(new RingReady(m.JobId, _replica!.Job.Rank));
        Become(() => RingConnected(ring));
    }

    private async Task FetchModelAsync(FetchModel m)
    {
        var network = _replica!.Network;
        Sender.Tell(new ModelSnapshot(network.Architecture, await BlobTransfer.StoreAsync(_process.Blobs, ModelCheckpoint.ToBytes(network))));
    }

    private void StartEpoch(RunEpoch m, IAllReduce exchange, Action resume)
    {
        var run = _epoch = EpochRun.Start(_replica!, exchange, m, Self);
        var requester = Sender;
        Become(() => Training(run, requester, resume));
    }

    private void EndEpoch(EpochRun run, Action next)
    {
        _epoch = null;
        run.Dispose();
        Stash.UnstashAll();
        Become(next);
    }

    private async Task ReleaseAsync()
    {
        await LeaveRingAsync();
        _replica?.Dispose();
        _replica = null;
    }

    private async Task LeaveRingAsync()
    {
        var ring = _ring;
        _ring = null;
        if (ring is not null) await ring.DisposeAsync();
    }

    private void Refuse(string jobId, string problem) => Sender.Tell(new JobFailed(jobId, _node, JobFailed.BoundedReason(problem)));

    // A failure is the job's, not the actor's: tell the requester what went wrong rather than restart and leave it waiting.
    private async Task GuardedAsync(string jobId, Func<Task> handle)
    {
        var sender = Sender;
        try
        {
            await handle();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Error(e, "{0} failed", _node);
            sender.Tell(new JobFailed(jobId, _node, JobFailed.BoundedReason(e.Message)));
        }
    }
}
