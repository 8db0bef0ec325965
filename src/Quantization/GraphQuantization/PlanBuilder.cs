using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.GraphQuantization;

/// <summary>
/// What the per-op rules write into while <see cref="GraphQuantizer.Prepare"/> walks the graph: values that get their own
/// observed point, values that share another's parameters (a union-find over values, since Concat can join points made
/// earlier), and fused activations.
/// </summary>
internal sealed class PlanBuilder(ModelGraph graph)
{
    private readonly Readers _readers = Readers.Of(graph);
    private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _observed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _reasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fused = new(StringComparer.Ordinal);

    public ModelGraph Graph => graph;

    public GraphNode? SoleReader(string value) => _readers.Sole(value);

    public bool IsQuantized(string value) => _parent.ContainsKey(value);

    /// <summary>The value gets a point of its own, observed.</summary>
    public void Point(string value, string reason)
    {
        _parent[value] = value;
        _observed.Add(value);
        _reasons[value] = reason;
    }

    /// <summary>The value carries the parameters of <paramref name="with"/>'s point and is not observed.</summary>
    public void Share(string value, string with, string reason)
    {
        _parent[value] = Root(Quantized(with));
        _reasons[value] = reason;
    }

    /// <summary>Merges the points of two values into one, observed over both.</summary>
    public void Join(string a, string b)
    {
        string rootA = Root(Quantized(a)), rootB = Root(Quantized(b));
        if (rootA != rootB) _parent[rootB] = rootA;
    }

    public void Fuse(ActivationNode activation, GraphNode producer) => _fused[activation.Name] = producer.Name;

    public string? FusedInto(ActivationNode activation) => _fused.GetValueOrDefault(activation.Name);

    public QuantizationPlan Build(IReadOnlyList<string> foldedBatchNorms)
    {
        var order = graph.Values.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i, StringComparer.Ordinal);
        var points = _parent.Keys
            .GroupBy(Root, StringComparer.Ordinal)
            .Select(g => g.OrderBy(v => order[v]).ToArray())
            .Select(values => new QuantizationPoint(
                values.First(_observed.Contains), [.. values.Where(_observed.Contains)], [.. values.Where(v => !_observed.Contains(v))]))
            .OrderBy(p => order[p.Name])
            .ToArray();
        return new QuantizationPlan(graph, points, _fused, foldedBatchNorms, _reasons);
    }

    private string Quantized(string value) => IsQuantized(value)
        ? value
        : throw new NotSupportedException($"'{value}' stays in float (a convolution's output before its fused activation), so nothing can share its parameters");

    private string Root(string value)
    {
        while (_parent[value] != value) value = _parent[value];
        return value;
    }
}
