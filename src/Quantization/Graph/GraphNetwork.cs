using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

using QuantCluster.Quantization.Models;

namespace QuantCluster.Quantization.Graph;

/// <summary>
/// Runs a <see cref="ModelGraph"/> in FP32 as a torch module. Convolution, linear and BatchNorm weights are trainable
/// parameters and BatchNorm's running statistics are buffers, each under its node's name, so the network can be
/// fine-tuned like a zoo network and its state saved. Forward walks the nodes in order over a table of named values.
/// </summary>
public sealed class GraphNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Step[] _steps;
    private readonly List<Scalar> _scalars = [];
    private readonly Dictionary<string, nn.Module<Tensor, Tensor>> _modulesByNode = new(StringComparer.Ordinal);
    private readonly IGraphQuantizer? _quantizer;

    public GraphNetwork(ModelGraph graph) : this(graph, null)
    {
    }

    /// <param name="quantizer">Sees every value and the weights of every convolution and linear layer; null runs plain FP32.</param>
    internal GraphNetwork(ModelGraph graph, IGraphQuantizer? quantizer) : base("graph")
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
        _quantizer = quantizer;
        var moduleNames = new HashSet<string>(StringComparer.Ordinal);
        var lastReader = LastReaders(graph);
        _steps = [.. graph.Nodes.Select(node => new Step(node, CreateOperation(node, moduleNames), lastReader.GetValueOrDefault(node.Name, [])))];
    }

    public ModelGraph Graph { get; }

    /// <summary>The torch module holding a convolution's, linear layer's or BatchNorm's parameters.</summary>
    public nn.Module<Tensor, Tensor> ModuleOf(string nodeName) =>
        _modulesByNode.TryGetValue(nodeName, out var module) ? module : throw new KeyNotFoundException($"node '{nodeName}' has no parameters in graph '{Graph.Name}'");

    /// <summary>Logits (or whatever the graph's output is) for a batch [N, ..input shape].</summary>
    public override Tensor forward(Tensor input)
    {
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [Graph.Input] = Quantized(Graph.Input, input) };
        foreach (var step in _steps)
        {
            values[step.Node.Output] = Quantized(step.Node.Output, step.Run([.. step.Node.Inputs.Select(v => values[v])]));
            // A value no later node reads is let go now, not at the end, so a deep network holds only its live tensors.
            foreach (string done in step.LastReadValues)
            {
                if (!ReferenceEquals(values[done], input)) values[done].Dispose();
                values.Remove(done);
            }
        }
        return values[Graph.Output];
    }

    // The quantizer's view of a value replaces the value; the float tensor it came from is let go unless it is the caller's input.
    private Tensor Quantized(string value, Tensor x)
    {
        if (_quantizer is null) return x;
        var quantized = _quantizer.Value(value, x);
        if (!ReferenceEquals(quantized, x) && value != Graph.Input) x.Dispose();
        return quantized;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var scalar in _scalars) scalar.Dispose();
        }
        base.Dispose(disposing);
    }

    private Func<Tensor[], Tensor> CreateOperation(GraphNode node, HashSet<string> moduleNames) => node switch
    {
        ConvNode conv => Convolution(conv, Register(conv, Conv(conv), moduleNames)),
        BatchNormNode bn => Normalization(Register(bn, BatchNorm(bn), moduleNames)),
        LinearNode linear => FullyConnected(linear, Register(linear, Linear(linear), moduleNames)),
        ActivationNode activation => Activation(activation),
        AddNode => x => PinnedScalars.Plus(x[0], x[1]),
        MulNode => x => x[0].mul(x[1]),
        MaxPoolNode pool => x => nn.functional.max_pool2d(x[0], Pair(pool.Window.Kernel), Pair(pool.Window.Stride), Pair(pool.Window.Padding), Pair(pool.Window.Dilation), pool.Window.CeilMode),
        AveragePoolNode pool => x => nn.functional.avg_pool2d(x[0], Pair(pool.Window.Kernel), Pair(pool.Window.Stride), Pair(pool.Window.Padding), pool.Window.CeilMode, pool.CountIncludePad),
        GlobalAveragePoolNode pool => x => x[0].mean([2, 3], keepdim: pool.KeepSpatialAxes),
        FlattenNode => x => x[0].flatten(1),
        ReshapeNode reshape => x => x[0].reshape(reshape.Target.WithBatch(x[0].shape[0])),
        ConcatNode concat => x => cat(x, concat.Axis + 1),
        _ => throw new NotSupportedException($"node '{node.Name}': GraphNetwork cannot run {node.GetType().Name}"),
    };

    private static Conv2d Conv(ConvNode node)
    {
        var window = node.Window;
        var conv = nn.Conv2d(node.InChannels, node.OutChannels, Tuple(window.Kernel), Tuple(window.Stride), Tuple(window.Padding), Tuple(window.Dilation),
            groups: node.Groups, bias: node.Bias is not null);
        using var _ = no_grad();
        using var weight = tensor(node.Weight, node.WeightShape);
        conv.weight!.copy_(weight);
        if (node.Bias is not null)
        {
            using var bias = tensor(node.Bias);
            conv.bias!.copy_(bias);
        }
        return conv;
    }

    private static BatchNorm2d BatchNorm(BatchNormNode node)
    {
        var bn = nn.BatchNorm2d(node.Channels, eps: node.Epsilon, momentum: node.Momentum);
        using var _ = no_grad();
        using var scale = tensor(node.Scale);
        using var bias = tensor(node.Bias);
        using var mean = tensor(node.RunningMean);
        using var variance = tensor(node.RunningVariance);
        bn.weight!.copy_(scale);
        bn.bias!.copy_(bias);
        bn.running_mean!.copy_(mean);
        bn.running_var!.copy_(variance);
        return bn;
    }

    private static Linear Linear(LinearNode node)
    {
        var linear = nn.Linear(node.InFeatures, node.OutFeatures, hasBias: node.Bias is not null);
        using var _ = no_grad();
        using var weight = tensor(node.Weight, [node.OutFeatures, node.InFeatures]);
        linear.weight!.copy_(weight);
        if (node.Bias is not null)
        {
            using var bias = tensor(node.Bias);
            linear.bias!.copy_(bias);
        }
        return linear;
    }

    private Func<Tensor[], Tensor> Activation(ActivationNode node)
    {
        switch (node.Activation)
        {
            case ActivationKind.Relu:
                return x => x[0].relu();
            case ActivationKind.Sigmoid:
                return x => x[0].sigmoid();
            case ActivationKind.HardSwish:
                return x => nn.functional.hardswish(x[0]);
            case ActivationKind.Clip:
                {
                    Scalar min = Keep(node.Min), max = Keep(node.Max);
                    return x => x[0].clamp(min, max);
                }
            case ActivationKind.HardSigmoid:
                {
                    // ONNX's formula, max(0, min(1, alpha x + beta)), rather than torch's relu6(x + 3) / 6: the same
                    // function for torch's alpha and beta, and the only one for any others.
                    Scalar alpha = Keep(node.Alpha), beta = Keep(node.Beta), zero = Keep(0), one = Keep(1);
                    return x =>
                    {
                        using var scaled = x[0].mul(alpha);
                        using var shifted = PinnedScalars.Plus(scaled, beta);
                        return shifted.clamp(zero, one);
                    };
                }
            default:
                throw new NotSupportedException($"node '{node.Name}': GraphNetwork cannot run activation {node.Activation}");
        }
    }

    // The Scalars live as long as the network: TorchSharp would otherwise make temporaries nothing keeps alive through
    // the native call (see PinnedScalars).
    private Scalar Keep(float value)
    {
        var scalar = value.ToScalar();
        _scalars.Add(scalar);
        return scalar;
    }

    private TModule Register<TModule>(GraphNode node, TModule module, HashSet<string> moduleNames)
        where TModule : nn.Module<Tensor, Tensor>
    {
        register_module(UniqueModuleName(node.Name, moduleNames), module);
        _modulesByNode[node.Name] = module;
        return module;
    }

    private static Func<Tensor[], Tensor> Call(nn.Module<Tensor, Tensor> module) => x => module.call(x[0]);

    // In training, BatchNorm's step that keeps its Scalars alive (BatchNormTraining); in eval the module as it is.
    private Func<Tensor[], Tensor> Normalization(BatchNorm2d norm) => x => training ? BatchNormTraining.Forward(norm, x[0]) : norm.call(x[0]);

    // Without a quantizer the module runs as it is (its hooks fire); with one, the same arithmetic on the weights the
    // quantizer hands out, so fake-quantized weights keep their gradient path to the parameters.
    private Func<Tensor[], Tensor> Convolution(ConvNode node, Conv2d conv)
    {
        if (_quantizer is null) return Call(conv);
        var window = node.Window;
        return x => WithQuantizedParameters(node, conv.weight!, conv.bias, (w, b) =>
            nn.functional.conv2d(x[0], w, b, Pair(window.Stride), Pair(window.Padding), Pair(window.Dilation), node.Groups));
    }

    private Func<Tensor[], Tensor> FullyConnected(LinearNode node, Linear linear)
    {
        if (_quantizer is null) return Call(linear);
        return x => WithQuantizedParameters(node, linear.weight!, linear.bias, (w, b) => nn.functional.linear(x[0], w, b));
    }

    private Tensor WithQuantizedParameters(GraphNode node, Tensor weight, Tensor? bias, Func<Tensor, Tensor?, Tensor> run)
    {
        var (w, b) = _quantizer!.Parameters(node, weight, bias);
        try
        {
            return run(w, b);
        }
        finally
        {
            if (!ReferenceEquals(w, weight)) w.Dispose();
            if (b is not null && !ReferenceEquals(b, bias)) b.Dispose();
        }
    }

    // Torch module names cannot hold '.', and ONNX node names from torch.onnx.export often do ("/layer1/layer1.0/conv1/Conv").
    internal static string UniqueModuleName(string nodeName, HashSet<string> taken)
    {
        var name = new StringBuilder(nodeName.Length);
        foreach (char c in nodeName) name.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        string candidate = name.ToString().Trim('_');
        if (candidate.Length == 0) candidate = "node";
        string unique = candidate;
        for (int i = 1; !taken.Add(unique); i++) unique = $"{candidate}_{i}";
        return unique;
    }

    // For each node, the values whose last reader it is (a value nobody reads counts as read by its writer; the graph's
    // output is never let go).
    private static Dictionary<string, string[]> LastReaders(ModelGraph graph)
    {
        var lastReaderOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            foreach (string value in node.Inputs) lastReaderOf[value] = node.Name;
            lastReaderOf.TryAdd(node.Output, node.Name);
        }
        lastReaderOf.Remove(graph.Output);
        return lastReaderOf.GroupBy(p => p.Value, p => p.Key).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    private static long[] Pair(Size2d size) => [size.Height, size.Width];

    private static (long, long) Tuple(Size2d size) => (size.Height, size.Width);

    private sealed record Step(GraphNode Node, Func<Tensor[], Tensor> Run, string[] LastReadValues);
}
