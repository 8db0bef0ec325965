using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Schemes;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.FakeQuant;

/// <summary>
/// A quantization point on an activation: it owns an observer (the range buffer) and fake-quantizes with the parameters that
/// range gives. Observing and fake-quantizing switch on and off independently, as QAT schedules need.
/// </summary>
public sealed class ActivationFakeQuantize : nn.Module<Tensor, Tensor>
{
    private readonly FakeQuantKernels _kernels;
    private readonly Tensor range;

    public ActivationFakeQuantize(string name, ActivationScheme scheme, FakeQuantKernels kernels) : base(name)
    {
        Scheme = scheme;
        _kernels = kernels;
        range = tensor(new[] { float.PositiveInfinity, float.NegativeInfinity });
        register_buffer("range", range);
    }

    public ActivationScheme Scheme { get; }

    public ObserverMode Observer { get; set; } = ObserverMode.Off;

    public bool FakeQuantEnabled { get; set; }

    /// <summary>Sees every output of this point; histogram calibration and sensitivity analysis set it, everything else leaves it null.</summary>
    public IActivationTap? Tap { get; set; }

    /// <summary>The range buffer itself, so replicas can synchronise it.</summary>
    public Tensor RangeBuffer => range;

    public RangeStatistics Range
    {
        get
        {
            var values = range.data<float>();
            return new RangeStatistics(values[0], values[1]);
        }
        set
        {
            using var _ = no_grad();
            range.copy_(tensor(new[] { value.Min, value.Max }));
        }
    }

    public QuantParams Params
    {
        get
        {
            var observed = Range;
            if (observed.IsEmpty) throw new InvalidOperationException($"quantization point '{GetName()}' has observed nothing");
            return QuantParamsCalculator.ForActivation(observed.Min, observed.Max, Scheme);
        }
    }

    public override Tensor forward(Tensor input)
    {
        if (Observer != ObserverMode.Off) Observe(input);
        var output = FakeQuantEnabled ? Apply(input, Params) : input;
        Tap?.Seen(output);
        return output;
    }

    /// <summary>Fake-quantizes with given parameters, e.g. the input's, for layers that keep their input's quantization.</summary>
    public Tensor Apply(Tensor input, QuantParams p) => _kernels.PerTensor(input, p);

    private void Observe(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var batch = new RangeStatistics(input.min().item<float>(), input.max().item<float>());
        var current = Range;
        Range = Observer == ObserverMode.MinMax ? current.Merge(batch) : MovingAverageMinMax.Update(current, batch);
    }
}
