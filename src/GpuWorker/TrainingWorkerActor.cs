using Akka.Actor;
using Akka.Event;
using QuantCluster.Messages;
using QuantCluster.Messages.Membership;
using QuantCluster.Messages.Models;
using QuantCluster.Messages.Training;
using QuantCluster.Node;
using QuantCluster.Node.Blobs;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Quantization.Training;

namespace QuantCluster.GpuWorker;

/// <summary>
/// One data-parallel replica on one device. Each step it computes its share of the update and sums it with the other
/// replicas' over the ring all-reduce (or, without a ring, sends it to whoever started the epoch and waits for the sum),
/// then applies the sum; the math lives in <see cref="ReplicaTrainer"/>, the exchange in <see cref="ReplicaRing"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "An actor's resources are released in PostStop, which Akka calls.")]
public sealed class TrainingWorkerActor : ReceiveActor
{
    private readonly string _node;
    private readonly DataSetCache _data;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Registration? _registration;
    private readonly IActorRef _blobs;
    private readonly string _ringHost;
    private readonly ProcessRings _rings;
    private ReplicaRing? _ring;
    private ChunkAssembly? _incoming;
    private QuantizableNetwork? _network;
    private ReplicaTrainer? _trainer;
    private PrepareTraining? _job;
    private IActorRef _reducer = ActorRefs.Nobody;
    private int _epoch;
    private DateTime _epochStarted;

    public TrainingWorkerActor(string node, IActorRef blobs, string ringHost, ProcessRings rings, DataSetCache data, Registration? registration = null)
    {
        _node = node;
        _data = data;
        _blobs = blobs;
        _ringHost = ringHost;
        _rings = rings;
        _registration = registration;
        Receive<IRegistrationReply>(m => Context.Child("registrar").Forward(m));
        ReceiveAsync<PrepareTraining>(m => GuardedAsync(m.JobId, () => PrepareAsync(m)));
        ReceiveAsync<OpenRing>(m => GuardedAsync(m.JobId, () => OpenRingAsync(m)));
        ReceiveAsync<ConnectRing>(m => GuardedAsync(m.JobId, () => ConnectRingAsync(m)));
        ReceiveAsync<RunEpoch>(m =>
        {
            if (_ring is { Connected: true }) return GuardedAsync(m.JobId, () => RunRingEpochAsync(m));
            Guarded(m.JobId, () => StartEpoch(m));
            return Task.CompletedTask;
        });
        Receive<AveragedGradients>(m => Guarded(m.JobId, () => Continue(m)));
        ReceiveAsync<FetchModel>(m =>
        {
            var sender = Sender;
            return GuardedAsync(m.JobId, async () =>
            {
                var network = Network();
                sender.Tell(new ModelSnapshot(network.Architecture, await BlobTransfer.StoreAsync(_blobs, ModelCheckpoint.ToBytes(network))));
            });
        });
    }

    /// <param name="ringHost">The address other processes reach this one's ring listener by.</param>
    /// <param name="rings">Shared by every worker actor of this process, so they take one place in the ring together.</param>
    /// <param name="data">Shared by every actor of this process, so the training set is held once however many replicas read it.</param>
    public static Props Props(string node, IActorRef blobs, string ringHost, ProcessRings rings, DataSetCache data, Registration? registration = null) =>
        Akka.Actor.Props.Create(() => new TrainingWorkerActor(node, blobs, ringHost, rings, data, registration));

    protected override void PreStart()
    {
        if (_registration is { } r)
            Context.ActorOf(RegistrarActor.Props(r, ClusterRoles.Worker), "registrar");
    }

    protected override void PostStop()
    {
        // PostStop cannot await; closing the sockets needs no more than starting it.
        _ = _ring?.DisposeAsync().AsTask();
        _trainer?.Dispose();
        _network?.Dispose();
    }

    private async Task PrepareAsync(PrepareTraining m)
    {
        using var activity = Tracing.StartChild("worker.prepare", m.TraceParent);
        var checkpoint = await BlobTransfer.FetchAsync(Context.System, m.Model.Checkpoint, CancellationToken.None);
        await CloseRingAsync();
        _trainer?.Dispose();
        _network?.Dispose();
        var settings = m.Settings;
        var scheme = SchemeNames.ParseActivations(settings.Quantization.Activations);
        _network = ModelCheckpoint.FromBytes(checkpoint, $"model sent to {_node}", scheme, m.Model.Architecture);
        var options = new TrainingOptions(
            settings.FakeQuantize, scheme, SchemeNames.ParseWeights(settings.Quantization.Weights),
            settings.Optimizer == "sgd" ? OptimizerChoice.Sgd : OptimizerChoice.Adam,
            settings.LearningRate, settings.Epochs, settings.GlobalBatchSize, settings.Seed,
            // A registered replica runs on the device its process was given; the embedded ones on the plan's.
            _registration is null ? settings.Device : DeviceList.TorchDevice(_registration.Device), settings.AugmentShift);
        var all = _data.Get(DataSources.FromWire(m.Data), ModelZoo.Signature(m.Model.Architecture));
        var training = DataSplit.HoldOut(all.Count, settings.HeldOutSamples, settings.Seed).TrainingImages(all);
        _trainer = new ReplicaTrainer(_network, training, options, m.Rank, m.WorldSize);
        _job = m;
        Sender.Tell(new WorkerReady(m.JobId, m.Rank, ParameterHash.Of(_network)));
    }

    private async Task OpenRingAsync(OpenRing m)
    {
        await CloseRingAsync();
        _ring = await _rings.JoinAsync(m, _ringHost);
        Sender.Tell(new RingEndpoint(m.JobId, m.Rank, _ringHost, _ring.Port));
    }

    private async Task ConnectRingAsync(ConnectRing m)
    {
        var ring = _ring ?? throw new InvalidOperationException($"{_node}: ConnectRing before OpenRing");
        await ring.ConnectAsync(m.NextHost, m.NextPort);
        Sender.Tell(new RingReady(m.JobId, _job?.Rank ?? -1));
    }

    // Each step: this replica's share, summed with the others' over the ring, applied. The actor waits for the epoch;
    // its messages queue meanwhile, which is what a replica in the middle of an epoch should do with them.
    private async Task RunRingEpochAsync(RunEpoch m)
    {
        var trainer = Trainer();
        var requester = Sender;
        _epoch = m.Epoch;
        _epochStarted = DateTime.UtcNow;
        trainer.BeginEpoch(m.Epoch, m.ObserveActivations, m.FreezeBatchNorm);
        for (int step = 0; step < trainer.Steps; step++)
        {
            var share = trainer.ComputeShare(step);
            await _ring!.SumAsync(share, CancellationToken.None);
            trainer.ApplySum(share);
        }
        requester.Tell(Completed(trainer));
    }

    private async Task CloseRingAsync()
    {
        if (_ring is null) return;
        await _ring.DisposeAsync();
        _ring = null;
    }

    private void StartEpoch(RunEpoch m)
    {
        var trainer = Trainer();
        _reducer = Sender;
        _incoming = null;
        _epoch = m.Epoch;
        _epochStarted = DateTime.UtcNow;
        trainer.BeginEpoch(m.Epoch, m.ObserveActivations, m.FreezeBatchNorm);
        SendShareOrFinish(0);
    }

    private void Continue(AveragedGradients m)
    {
        if (m.Epoch != _epoch) throw new InvalidOperationException($"update for epoch {m.Epoch} arrived during epoch {_epoch}");
        var sum = _incoming = ChunkAssembly.For(_incoming, m.Total);
        if (sum.Add(m.Offset, m.Total, m.Values) is { } wrong) throw new InvalidDataException($"update for step {m.Step}: {wrong}");
        if (!sum.Complete) return;
        // ApplySum copies the values into the replica, so the buffer can take the next step's slices.
        Trainer().ApplySum(sum.Values);
        sum.Reset();
        SendShareOrFinish(m.Step + 1);
    }

    private void SendShareOrFinish(int step)
    {
        var trainer = Trainer();
        if (step < trainer.Steps)
        {
            var share = trainer.ComputeShare(step);
            foreach (var (offset, slice) in GradientChunks.Split(share))
                _reducer.Tell(new LocalGradients(_job!.JobId, _epoch, step, _job.Rank, slice, offset, share.Length));
            return;
        }
        _reducer.Tell(Completed(trainer));
    }

    private EpochCompleted Completed(ReplicaTrainer trainer)
    {
        double seconds = (DateTime.UtcNow - _epochStarted).TotalSeconds;
        var rank = new KeyValuePair<string, object?>("rank", _job!.Rank);
        Metrics.TrainingSamples.Add(trainer.Samples, rank);
        Metrics.EpochDuration.Record(seconds, rank);
        return new EpochCompleted(_job.JobId, _job.Rank, _epoch, trainer.LossSum, trainer.Correct, trainer.Samples, ParameterHash.Of(Network()), seconds,
            PeakWorkingSet());
    }

    private QuantizableNetwork Network() => _network ?? throw new InvalidOperationException($"{_node} has no model: PrepareTraining first");

    private ReplicaTrainer Trainer() => _trainer ?? throw new InvalidOperationException($"{_node} has no model: PrepareTraining first");

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

    // A failure is the job's, not the actor's: tell the requester what went wrong rather than restart and leave it waiting.
    private void Guarded(string jobId, Action handle)
    {
        try
        {
            handle();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Error(e, "{0} failed", _node);
            var failure = new JobFailed(jobId, _node, JobFailed.BoundedReason(e.Message));
            Sender.Tell(failure);
            if (!_reducer.Equals(Sender) && !_reducer.IsNobody()) _reducer.Tell(failure);
        }
    }

    private static long PeakWorkingSet()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
