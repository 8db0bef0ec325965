namespace QuantCluster.Quantization.Graph;

/// <summary>
/// A network as a graph of operations over named values (a DAG, not a list): one input with a dynamic batch and a static
/// per-sample shape, nodes in topological order, one output. Every value's shape is resolved and checked once, here,
/// so the passes and executors that walk the graph never meet an inconsistent one. The values are where quantization
/// points go: the input and each node's output.
/// </summary>
public sealed class ModelGraph
{
    private readonly Dictionary<string, Shape> _shapes = new(StringComparer.Ordinal);

    /// <exception cref="InvalidGraphException">A node reads a value not defined before it, writes one already defined,
    /// repeats a node name, or gets shapes it cannot take; or the output is not defined. The message names the node.</exception>
    public ModelGraph(string name, string input, Shape inputShape, string output, IReadOnlyList<GraphNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(nodes);
        Name = name;
        Input = input;
        Output = output;
        Nodes = [.. nodes];
        _shapes[input] = inputShape;
        var nodeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in Nodes)
        {
            if (string.IsNullOrEmpty(node.Name) || !nodeNames.Add(node.Name))
                throw new InvalidGraphException($"node '{node.Name}' ({node.Kind}): node names must be unique and not empty");
            var missing = node.Inputs.Where(v => !_shapes.ContainsKey(v)).ToArray();
            if (missing.Length > 0)
                throw new InvalidGraphException($"node '{node.Name}' ({node.Kind}): reads {string.Join(", ", missing.Select(v => $"'{v}'"))} before any node defines it");
            if (_shapes.ContainsKey(node.Output))
                throw new InvalidGraphException($"node '{node.Name}' ({node.Kind}): writes '{node.Output}', which is already defined");
            try
            {
                _shapes[node.Output] = node.OutputShape([.. node.Inputs.Select(v => _shapes[v])]);
            }
            catch (InvalidGraphException e)
            {
                throw new InvalidGraphException($"node '{node.Name}' ({node.Kind}): {e.Message}", e);
            }
        }
        if (!_shapes.ContainsKey(output)) throw new InvalidGraphException($"the output '{output}' is not written by any node");
    }

    public string Name { get; }

    public string Input { get; }

    public string Output { get; }

    public IReadOnlyList<GraphNode> Nodes { get; }

    public Shape InputShape => _shapes[Input];

    public Shape OutputShape => _shapes[Output];

    /// <summary>Every value: the input, then each node's output in order.</summary>
    public IEnumerable<string> Values => [Input, .. Nodes.Select(n => n.Output)];

    public Shape ShapeOf(string value) =>
        _shapes.TryGetValue(value, out var shape) ? shape : throw new KeyNotFoundException($"'{value}' is not a value of graph '{Name}'");
}
