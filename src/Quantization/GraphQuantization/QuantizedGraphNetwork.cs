using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Graph;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Schemes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.GraphQuantization;

/// <summary>
/// A prepared graph as a torch module: the FP32 <see cref="GraphNetwork"/> of the plan's graph with an
/// <see cref="ActivationFakeQuantize"/> on each point and a per-channel symmetric int8 <see cref="WeightFakeQuantizer"/>
/// on each convolution and linear layer. As the zoo's <see cref="Models.QuantizableNetwork"/>, one module serves
/// calibration (observers on) and QAT or evaluation (fake quantization on), switched by <see cref="Configure"/>.
/// </summary>
public sealed class QuantizedGraphNetwork : nn.Module<Tensor, Tensor>
{
    private readonly GraphNetwork network;
    private readonly FakeQuantKernels _kernels = new();
    private readonly WeightFakeQuantizer _weights;
    private readonly Dictionary<string, ActivationFakeQuantize> _pointOfValue = new(StringComparer.Ordinal);
    private readonly (string Name, ActivationFakeQuantize Point)[] _points;
    private readonly Dictionary<string, int> _averagedOver;

    public QuantizedGraphNetwork(QuantizationPlan plan, ActivationScheme scheme) : base("quantized_graph")
    {
        ArgumentNullException.ThrowIfNull(plan);
        Plan = plan;
        _weights = new WeightFakeQuantizer(_kernels);
        _averagedOver = AveragedOver(plan.Graph);
        network = new GraphNetwork(plan.Graph, new Hooks(this));
        register_module("network", network);
        var moduleNames = new HashSet<string>(StringComparer.Ordinal);
        _points = [.. plan.Points.Select(p => (p.Name, new ActivationFakeQuantize(p.Name, scheme, _kernels)))];
        foreach (var ((name, point), plannedPoint) in _points.Zip(plan.Points))
        {
            register_module($"point_{GraphNetwork.UniqueModuleName(name, moduleNames)}", point);
            foreach (string value in plannedPoint.Values) _pointOfValue[value] = point;
        }
    }

    public QuantizationPlan Plan { get; }

    public ModelGraph Graph => Plan.Graph;

    /// <summary>Every point in graph order, named after its first observed value.</summary>
    public IReadOnlyList<(string Name, ActivationFakeQuantize Point)> QuantizationPoints => _points;

    /// <summary>Whether convolution and linear weights (and with them the biases) are fake-quantized.</summary>
    public bool FakeQuantWeights { get; private set; }

    /// <summary>Sets what every point and weight quantizer does: calibration is (MinMax, false), evaluation (Off, true).</summary>
    public void Configure(ObserverMode observer, bool fakeQuantize)
    {
        foreach (var (_, point) in _points)
        {
            point.Observer = observer;
            point.FakeQuantEnabled = fakeQuantize;
        }
        FakeQuantWeights = fakeQuantize;
    }

    /// <summary>The parameters a value is quantized with; it must carry a calibrated point.</summary>
    public QuantParams ParamsOf(string value) => PointOf(value).Params;

    public override Tensor forward(Tensor input) => network.call(input);

    /// <summary>
    /// A convolution's or linear layer's weight and bias as the INT8 model holds them: int8 weights with one scale per
    /// output channel, the bias as int32 on the grid s_in * s_w[c], both taken from the same tensors the fake-quantized
    /// forward pass uses, so the exported model computes exactly what this module does.
    /// </summary>
    public QuantizedWeights QuantizedWeightsOf(GraphNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var (weight, bias) = Parameters(node);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var scales = _weights.Scales(weight);
        var channelShape = new long[weight.dim()];
        Array.Fill(channelShape, 1L);
        channelShape[0] = -1;
        // The fake-quantized weight is q * s exactly as float; dividing by s and rounding gives q back.
        var q = _weights.Apply(weight, scales).div(scales.reshape(channelShape)).round().to(ScalarType.Int8);
        var grid = BiasGrid(node, scales);
        var biasValues = bias ?? zeros(weight.shape[0]);
        var steps = biasValues.detach().div(grid).round();
        // A channel of (almost) zero weights has a scale near the 1e-8 floor, and its bias then needs more than 32 bits.
        if (steps.abs().max().item<float>() >= 2147483648f)
            throw new InvalidOperationException($"node '{node.Name}' ({node.Kind}): a bias does not fit int32 at scale s_in * s_w (a channel with near-zero weights?)");
        var qBias = steps.to(ScalarType.Int32);
        return new QuantizedWeights(
            q.contiguous().data<sbyte>().ToArray(), [.. weight.shape], scales.data<float>().ToArray(),
            qBias.data<int>().ToArray(), grid.contiguous().data<float>().ToArray());
    }

    private Tensor QuantizeValue(string value, Tensor x)
    {
        if (!_pointOfValue.TryGetValue(value, out var point)) return x;
        if (Plan.IsObserved(value)) return point.forward(x);
        // A sharing value (a pool's output) is rounded onto its input's grid, as the integer op computes it, but not observed.
        if (!point.FakeQuantEnabled) return x;
        return _averagedOver.TryGetValue(value, out int count) ? AverageRounding.OntoGrid(x, point.Params, count) : point.Apply(x, point.Params);
    }

    // For each average whose divisor is the same at every position (global, or a window without padding or counting
    // it), that divisor; other averages round as any value does.
    private static Dictionary<string, int> AveragedOver(ModelGraph graph)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            if (node is GlobalAveragePoolNode)
            {
                var input = graph.ShapeOf(node.Inputs[0]);
                counts[node.Output] = input[1] * input[2];
            }
            else if (node is AveragePoolNode pool && (pool.CountIncludePad || pool.Window.Padding == Size2d.Square(0)))
            {
                counts[node.Output] = pool.Window.Kernel.Height * pool.Window.Kernel.Width;
            }
        }
        return counts;
    }

    private (Tensor Weight, Tensor? Bias) QuantizeParameters(GraphNode node, Tensor weight, Tensor? bias)
    {
        if (!FakeQuantWeights) return (weight, bias);
        using var scales = _weights.Scales(weight);
        var quantized = _weights.Apply(weight, scales);
        if (bias is null) return (quantized, null);
        using var grid = BiasGrid(node, scales);
        return (quantized, RoundedBias(bias, grid));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _kernels.Dispose();
        base.Dispose(disposing);
    }

    // The bias the integer model adds, round(b / (s_in * s_w[c])) * s_in * s_w[c], with a straight-through gradient for QAT.
    private static Tensor RoundedBias(Tensor bias, Tensor grid)
    {
        using var frozen = bias.detach();
        using var rounded = frozen.div(grid).round().mul(grid);
        using var correction = PinnedScalars.Minus(rounded, frozen);
        return PinnedScalars.Plus(bias, correction);
    }

    // s_in * s_w[c]: the scale of the int32 accumulator, in which ONNX's QLinearConv and QGemm take the bias.
    private Tensor BiasGrid(GraphNode node, Tensor weightScales)
    {
        using var inputScale = ParamsOf(node.Inputs[0]).Scale.ToScalar();
        return weightScales.mul(inputScale);
    }

    private (Tensor Weight, Tensor? Bias) Parameters(GraphNode node) => network.ModuleOf(node.Name) switch
    {
        Conv2d conv => (conv.weight!, conv.bias),
        Linear linear => (linear.weight!, linear.bias),
        _ => throw new ArgumentException($"node '{node.Name}' ({node.Kind}) has no weights to quantize", nameof(node)),
    };

    private ActivationFakeQuantize PointOf(string value) =>
        _pointOfValue.TryGetValue(value, out var point) ? point : throw new ArgumentException($"'{value}' stays in float; it has no quantization parameters", nameof(value));

    // Not the module itself: TorchSharp registers every module a module's fields reach, and GraphNetwork would then
    // register its own parent, recursing without end.
    private sealed class Hooks(QuantizedGraphNetwork owner) : IGraphQuantizer
    {
        public Tensor Value(string value, Tensor x) => owner.QuantizeValue(value, x);

        public (Tensor Weight, Tensor? Bias) Parameters(GraphNode node, Tensor weight, Tensor? bias) => owner.QuantizeParameters(node, weight, bias);
    }
}
