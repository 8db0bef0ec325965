using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Training;

/// <summary>
/// One data-parallel replica: computes its share of each step's gradient and applies the summed update, so that replicas
/// that start equal and apply the same sums stay equal. The exchange of the shares is somebody else's job.
/// </summary>
public sealed class ReplicaTrainer : IDisposable
{
    private readonly QuantizableNetwork _network;
    private readonly LabeledImages _data;
    private readonly TrainingOptions _options;
    private readonly int _rank;
    private readonly int _worldSize;
    private readonly ReplicaOptimizer _optimizer;
    private readonly Device _device;
    private readonly Parameter[] _parameters;
    private readonly RandomShift _augmentation;
    private BatchSchedule? _schedule;
    private int _epoch;
    private int _step;
    private Tensor[] _syncedBuffers = [];

    public ReplicaTrainer(QuantizableNetwork network, LabeledImages data, TrainingOptions options, int rank, int worldSize)
    {
        _network = network;
        _data = data;
        _options = options;
        _rank = rank;
        _worldSize = worldSize;
        _device = torch.device(options.Device);
        _network.to(_device);
        _parameters = [.. _network.parameters()];
        _augmentation = new RandomShift(options.AugmentShift, options.Seed);
        _optimizer = new ReplicaOptimizer(_parameters, options.Optimizer, options.LearningRate);
    }

    public int Steps => _schedule?.Steps ?? 0;

    public double LossSum { get; private set; }

    public int Correct { get; private set; }

    public int Samples { get; private set; }

    public void BeginEpoch(int epoch, bool observeActivations, bool freezeBatchNorm)
    {
        _schedule = new BatchSchedule(_data.Count, _options.GlobalBatchSize, _options.Seed, epoch);
        _epoch = epoch;
        // Cosine decay from the plan's rate towards zero over the phase's epochs (Loshchilov and Hutter 2017): the last
        // epochs take small steps, which matters on a training set this small.
        _optimizer.LearningRate = _options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * epoch / Math.Max(1, _options.Epochs)));
        _network.train();
        var observer = _options.FakeQuantize && observeActivations ? ObserverMode.MovingAverage : ObserverMode.Off;
        _network.Configure(observer, _options.FakeQuantize, _options.Weights);
        _network.FreezeBatchNorm(freezeBatchNorm);
        _syncedBuffers = SyncedBuffers(observer != ObserverMode.Off, freezeBatchNorm);
        LossSum = 0;
        Correct = 0;
        Samples = 0;
    }

    /// <summary>
    /// This replica's share of step's update, flattened: gradients of the mean loss over its slice and the buffers the
    /// forward pass changed (BatchNorm statistics, observer ranges), all weighted by slice size / global batch size.
    /// Summed over replicas this is the global batch's gradient and buffers.
    /// </summary>
    public float[] ComputeShare(int step)
    {
        var schedule = _schedule ?? throw new InvalidOperationException("BeginEpoch first");
        _step = step;
        int[] slice = schedule.Slice(step, _rank, _worldSize).ToArray();
        float weight = (float)slice.Length / schedule.GlobalCount(step);
        using var scope = NewDisposeScope();
        foreach (var p in _parameters) p.grad?.zero_();
        if (slice.Length > 0)
        {
            var inputs = InputBatch.Of(_data, _augmentation.Batch(_data, slice, _epoch), slice.Length).to(_device);
            var labels = torch.tensor(slice.Select(i => (long)_data.Labels[i]).ToArray()).to(_device);
            var logits = _network.call(inputs);
            var loss = nn.functional.cross_entropy(logits, labels);
            float lossValue = loss.item<float>();
            if (!float.IsFinite(lossValue)) throw Diverged($"the loss is {lossValue}");
            loss.backward();
            LossSum += lossValue * slice.Length;
            Correct += (int)logits.argmax(1).eq(labels).sum().item<long>();
            Samples += slice.Length;
        }
        var pieces = _parameters.Select(p => p.grad is null ? zeros_like(p).flatten() : p.grad.flatten())
            .Concat(_syncedBuffers.Select(b => b.flatten()));
        using var share = weight.ToScalar();
        var flat = cat(pieces.ToArray()).mul_(share).cpu();
        return flat.data<float>().ToArray();
    }

    /// <summary>
    /// Applies the sum of every replica's share (of the step last computed): sets gradients and buffers, then takes the
    /// optimizer step. Every replica holds the same sum, so all of them refuse a non-finite one at the same step.
    /// </summary>
    public void ApplySum(float[] sum)
    {
        int expected = _parameters.Sum(p => (int)p.numel()) + _syncedBuffers.Sum(b => (int)b.numel());
        if (sum.Length != expected)
            throw new ArgumentException($"update has {sum.Length} values; this replica's parameters and buffers need {expected}", nameof(sum));
        using (NewDisposeScope())
        using (no_grad())
        {
            // Counted on the host array the sum already is: three model-sized tensors and a device sync per step otherwise.
            int nonFinite = CountNonFinite(sum);
            if (nonFinite > 0) throw Diverged($"{nonFinite} of {sum.Length} summed gradient and buffer values are not finite");
            var all = torch.tensor(sum).to(_device);
            long offset = 0;
            foreach (var p in _parameters)
            {
                var part = all.narrow(0, offset, p.numel()).view_as(p);
                if (p.grad is null) p.grad = part.clone();
                else p.grad.copy_(part);
                offset += p.numel();
            }
            foreach (var b in _syncedBuffers)
            {
                b.copy_(all.narrow(0, offset, b.numel()).view_as(b));
                offset += b.numel();
            }
        }
        _optimizer.Step();
    }

    public void Dispose() => _optimizer.Dispose();

    private TrainingDivergedException Diverged(string what) =>
        new($"training diverged at epoch {_epoch + 1}, step {_step + 1} of {Steps}: {what} (learning rate {_optimizer.LearningRate:G4}); try a lower learning_rate");

    private Tensor[] SyncedBuffers(bool observing, bool batchNormFrozen)
    {
        var buffers = new List<Tensor>();
        if (!batchNormFrozen)
        {
            foreach (var bn in _network.ComputeLayers.OfType<QuantizableConv>().Select(c => c.BatchNorm).OfType<TorchSharp.Modules.BatchNorm2d>())
            {
                buffers.Add(bn.running_mean!);
                buffers.Add(bn.running_var!);
            }
        }
        if (observing) buffers.AddRange(_network.QuantizationPoints.Select(p => p.Point.RangeBuffer));
        return [.. buffers];
    }

    private static int CountNonFinite(float[] values)
    {
        int count = 0;
        foreach (float v in values) if (!float.IsFinite(v)) count++;
        return count;
    }
}
