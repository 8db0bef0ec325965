using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.GraphQuantization;

/// <summary>Which nodes read each value of a graph: fusions need a value that exactly one node reads.</summary>
internal sealed class Readers
{
    private readonly Dictionary<string, List<GraphNode>> _readers = new(StringComparer.Ordinal);

    private Readers()
    {
    }

    public static Readers Of(ModelGraph graph)
    {
        var readers = new Readers();
        foreach (var node in graph.Nodes)
        {
            foreach (string value in node.Inputs.Distinct())
            {
                if (!readers._readers.TryGetValue(value, out var list)) readers._readers[value] = list = [];
                list.Add(node);
            }
        }
        return readers;
    }

    /// <summary>The one node reading the value, or null when none or several do.</summary>
    public GraphNode? Sole(string value) => _readers.TryGetValue(value, out var list) && list.Count == 1 ? list[0] : null;
}
