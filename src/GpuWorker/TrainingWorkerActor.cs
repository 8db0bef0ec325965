using Akka.Actor;
using Akka.Event;
using QuantCluster.Messages;
using QuantCluster.Messages.Membership;
using QuantCluster.Messages.Models;
using QuantCluster.Messages.Training;
using QuantCluster.Node;
using QuantCluster.Node.Blobs;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Evaluation;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Quantization.Training;

namespace QuantCluster.GpuWorker;

/// <summary>
/// One data-parallel replica on one device. It computes its share of each step, sends it to whoever started the epoch,
/// and takes the next step when the summed update comes back; the math lives in <see cref="ReplicaTrainer"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "An actor's resources are released in PostStop, which Akka calls.")]
public sealed class TrainingWorkerActor : ReceiveActor
{
    private readonly string _node;
    private readonly DataSetCache _data = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Registration? _registration;
    private readonly IActorRef _blobs;
    private QuantizableNetwork? _network;
    private ReplicaTrainer? _trainer;
    private PrepareTraining? _job;
    private IActorRef _reducer = ActorRefs.Nobody;
    private int _epoch;
    private DateTime _epochStarted;

    public TrainingWorkerActor(string node, IActorRef blobs, Registration? registration = null)
    {
        _node = node;
        _blobs = blobs;
        _registration = registration;
        Receive<MemberRegistered>(_ => Context.Stop(Context.Child("registrar")));
        ReceiveAsync<PrepareTraining>(m => GuardedAsync(m.JobId, () => PrepareAsync(m)));
        Receive<RunEpoch>(m => Guarded(m.JobId, () => StartEpoch(m)));
        Receive<AveragedGradients>(m => Guarded(m.JobId, () => Continue(m)));
        Receive<EvaluateReplica>(m => Guarded(m.JobId, () => Evaluate(m)));
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

    public static Props Props(string node, IActorRef blobs, Registration? registration = null) =>
        Akka.Actor.Props.Create(() => new TrainingWorkerActor(node, blobs, registration));

    protected override void PreStart()
    {
        if (_registration is { } r)
            Context.ActorOf(RegistrarActor.Props(r.Registry, new RegisterMember(ClusterRoles.Worker, r.Node, r.Device)), "registrar");
    }

    protected override void PostStop()
    {
        _trainer?.Dispose();
        _network?.Dispose();
    }

    private async Task PrepareAsync(PrepareTraining m)
    {
        using var activity = Tracing.StartChild("worker.prepare", m.TraceParent);
        var checkpoint = await BlobTransfer.FetchAsync(Context.System, m.Model.Checkpoint, CancellationToken.None);
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
        _trainer = new ReplicaTrainer(_network, _data.Get(m.Data.Images, m.Data.Labels), options, m.Rank, m.WorldSize);
        _job = m;
        Sender.Tell(new WorkerReady(m.JobId, m.Rank, ParameterHash.Of(_network)));
    }

    private void StartEpoch(RunEpoch m)
    {
        var trainer = Trainer();
        _reducer = Sender;
        _epoch = m.Epoch;
        _epochStarted = DateTime.UtcNow;
        trainer.BeginEpoch(m.Epoch, m.ObserveActivations, m.FreezeBatchNorm);
        SendShareOrFinish(0);
    }

    private void Continue(AveragedGradients m)
    {
        if (m.Epoch != _epoch) throw new InvalidOperationException($"update for epoch {m.Epoch} arrived during epoch {_epoch}");
        Trainer().ApplySum(m.Values);
        SendShareOrFinish(m.Step + 1);
    }

    private void SendShareOrFinish(int step)
    {
        var trainer = Trainer();
        if (step < trainer.Steps)
        {
            _reducer.Tell(new LocalGradients(_job!.JobId, _epoch, step, _job.Rank, trainer.ComputeShare(step)));
            return;
        }
        double seconds = (DateTime.UtcNow - _epochStarted).TotalSeconds;
        var rank = new KeyValuePair<string, object?>("rank", _job!.Rank);
        Metrics.TrainingSamples.Add(trainer.Samples, rank);
        Metrics.EpochDuration.Record(seconds, rank);
        _reducer.Tell(new EpochCompleted(_job!.JobId, _job.Rank, _epoch, trainer.LossSum, trainer.Correct, trainer.Samples,
            ParameterHash.Of(Network()), seconds));
    }

    private void Evaluate(EvaluateReplica m)
    {
        using var activity = Tracing.StartChild("worker.evaluate", m.TraceParent);
        var data = _data.Get(m.Data.Images, m.Data.Labels);
        var predictions = TorchPredictor.Predict(Network(), data, m.BatchSize);
        int correct = predictions.Where((p, i) => p == data.Labels[i]).Count();
        Sender.Tell(new EvaluationResult(m.JobId, predictions, correct, data.Count));
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
            sender.Tell(new JobFailed(jobId, _node, e.Message));
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
            var failure = new JobFailed(jobId, _node, e.Message);
            Sender.Tell(failure);
            if (!_reducer.Equals(Sender) && !_reducer.IsNobody()) _reducer.Tell(failure);
        }
    }
}
