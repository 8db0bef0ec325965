using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.GraphQuantization;

/// <summary>
/// The decisions of <see cref="GraphQuantizer.Prepare"/> as data a reader (and a test) can check: the graph with BatchNorm
/// folded, the quantization points and which values share each, the activations fused into the node before them, and
/// why each quantized value is quantized. A value with no point stays in float: a convolution's output before its fused
/// activation is the only such value in a supported graph.
/// </summary>
public sealed class QuantizationPlan
{
    private readonly Dictionary<string, QuantizationPoint> _pointOfValue;

    internal QuantizationPlan(
        ModelGraph graph, IReadOnlyList<QuantizationPoint> points, IReadOnlyDictionary<string, string> fusedActivations,
        IReadOnlyList<string> foldedBatchNorms, IReadOnlyDictionary<string, string> reasons)
    {
        Graph = graph;
        Points = points;
        FusedActivations = fusedActivations;
        FoldedBatchNorms = foldedBatchNorms;
        Reasons = reasons;
        _pointOfValue = points.SelectMany(p => p.Values.Select(v => (v, p))).ToDictionary(x => x.v, x => x.p, StringComparer.Ordinal);
    }

    /// <summary>The graph the points are on: the imported one with each BatchNorm folded into its convolution.</summary>
    public ModelGraph Graph { get; }

    /// <summary>Every point, in the graph order of its name.</summary>
    public IReadOnlyList<QuantizationPoint> Points { get; }

    /// <summary>Activation node name to the node whose output it is fused onto (Relu or Clip after a Conv, Linear or Add).</summary>
    public IReadOnlyDictionary<string, string> FusedActivations { get; }

    /// <summary>The BatchNorm nodes of the imported graph folded into the convolution before them.</summary>
    public IReadOnlyList<string> FoldedBatchNorms { get; }

    /// <summary>Each quantized value and the rule that made it so, e.g. "Add output" or "MaxPool keeps its input's parameters".</summary>
    public IReadOnlyDictionary<string, string> Reasons { get; }

    /// <summary>The point whose parameters the value carries, or null for a value left in float.</summary>
    public QuantizationPoint? PointOf(string value) => _pointOfValue.GetValueOrDefault(value);

    /// <summary>Whether the value's range is watched (it defines its point's parameters) rather than shared.</summary>
    public bool IsObserved(string value) => PointOf(value)?.Observed.Contains(value, StringComparer.Ordinal) == true;
}
