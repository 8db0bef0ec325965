using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.GraphQuantization;

/// <summary>
/// Folds each BatchNorm that is the only reader of a convolution's output into that convolution, as the integer model
/// holds it: w' = w * gamma / sqrt(var + eps) per output channel, b' = (b - mean) * gamma / sqrt(var + eps) + beta. The
/// folded convolution writes the BatchNorm's output, so every later node and the plan's points keep their names.
/// </summary>
public static class BatchNormFolding
{
    public static ModelGraph Fold(ModelGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var readers = Readers.Of(graph);
        var folded = new Dictionary<string, BatchNormNode>(StringComparer.Ordinal);
        foreach (var bn in graph.Nodes.OfType<BatchNormNode>())
        {
            var producer = graph.Nodes.FirstOrDefault(n => n.Output == bn.Input);
            if (producer is ConvNode && readers.Sole(bn.Input) == bn && bn.Input != graph.Output) folded[producer.Name] = bn;
        }
        var kept = folded.Values.Select(bn => bn.Name).ToHashSet(StringComparer.Ordinal);
        var nodes = graph.Nodes
            .Where(n => !kept.Contains(n.Name))
            .Select(n => n is ConvNode conv && folded.TryGetValue(conv.Name, out var bn) ? Folded(conv, bn) : n)
            .ToList();
        return new ModelGraph(graph.Name, graph.Input, graph.InputShape, graph.Output, nodes);
    }

    /// <summary>The folded weight and bias of one convolution, as plain arrays (the formula in the summary).</summary>
    public static (float[] Weight, float[] Bias) Fold(ConvNode conv, BatchNormNode bn)
    {
        ArgumentNullException.ThrowIfNull(conv);
        ArgumentNullException.ThrowIfNull(bn);
        int perChannel = conv.Weight.Length / conv.OutChannels;
        var weight = new float[conv.Weight.Length];
        var bias = new float[conv.OutChannels];
        for (int c = 0; c < conv.OutChannels; c++)
        {
            // In double, then rounded once to float: the folded weights are what both the fake-quantized graph and the
            // export start from, so only their own rounding matters, not torch's float order of operations.
            double factor = bn.Scale[c] / Math.Sqrt((double)bn.RunningVariance[c] + bn.Epsilon);
            for (int i = 0; i < perChannel; i++) weight[(c * perChannel) + i] = (float)(conv.Weight[(c * perChannel) + i] * factor);
            bias[c] = (float)((((conv.Bias?[c] ?? 0) - (double)bn.RunningMean[c]) * factor) + bn.Bias[c]);
        }
        return (weight, bias);
    }

    private static ConvNode Folded(ConvNode conv, BatchNormNode bn)
    {
        var (weight, bias) = Fold(conv, bn);
        return new ConvNode(conv.Name, conv.Input, bn.Output, conv.InChannels, conv.OutChannels, conv.Groups, conv.Window, weight, bias);
    }
}
