using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import;

/// <summary>
/// What the importer knows while it walks an ONNX graph: which names are computed values (with their per-sample
/// shapes), which are constants (initializers are read only when a converter asks, then their bytes are let go), which
/// are aliases of another name (Identity, Dropout), and the graph nodes converted so far.
/// </summary>
internal sealed class ImportContext
{
    private readonly Dictionary<string, TensorProto> _unreadInitializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConstantTensor> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Shape> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private readonly List<GraphNode> _nodes = [];

    public ImportContext(long opset, string input, Shape inputShape, long? staticBatch, IEnumerable<TensorProto> initializers)
    {
        Opset = opset;
        StaticBatch = staticBatch;
        _shapes[input] = inputShape;
        foreach (var initializer in initializers) _unreadInitializers[initializer.Name] = initializer;
    }

    /// <summary>The model's default-domain opset.</summary>
    public long Opset { get; }

    /// <summary>The batch size the model input declares, when it declares one instead of a symbolic dimension.</summary>
    public long? StaticBatch { get; }

    /// <summary>The computed value a name stands for, following aliases.</summary>
    /// <exception cref="NodeConversionException">The name is a constant, or nothing defines it.</exception>
    public string Value(string name)
    {
        string resolved = Resolve(name);
        if (_shapes.ContainsKey(resolved)) return resolved;
        if (IsConstant(resolved)) throw new NodeConversionException($"input '{name}' is a constant; this op takes a value computed from the model input there");
        throw new NodeConversionException($"input '{name}' is not defined by any node the importer kept (an optional output such as BatchNormalization's training statistics or MaxPool's indices?)");
    }

    public Shape ShapeOf(string name) => _shapes[Value(name)];

    public bool IsConstant(string name)
    {
        string resolved = Resolve(name);
        return _constants.ContainsKey(resolved) || _unreadInitializers.ContainsKey(resolved);
    }

    /// <summary>The constant a name stands for; what says which input it is in errors ("the weight").</summary>
    /// <exception cref="NodeConversionException">The name is computed from the model input, or undefined.</exception>
    public ConstantTensor Constant(string name, string what)
    {
        string resolved = Resolve(name);
        if (_constants.TryGetValue(resolved, out var constant)) return constant;
        if (_unreadInitializers.Remove(resolved, out var initializer))
        {
            constant = TensorReader.Read(initializer);
            TensorReader.Release(initializer);
            _constants[resolved] = constant;
            return constant;
        }
        if (_shapes.ContainsKey(resolved))
            throw new NodeConversionException($"{what} ('{name}') is computed from the model input; the importer needs it constant (an initializer, a Constant node, or a shape computation it can fold)");
        throw new NodeConversionException($"{what} ('{name}') is not defined by any node or initializer");
    }

    public void DefineConstant(string name, ConstantTensor value) => _constants[name] = value;

    /// <summary>Makes output another name for input (a pass-through op), whether input is a value or a constant.</summary>
    public void Alias(string output, string input)
    {
        string resolved = Resolve(input);
        if (!_shapes.ContainsKey(resolved) && !IsConstant(resolved)) Value(input);
        _aliases[output] = resolved;
    }

    /// <summary>Adds a converted node, renamed if another node already has its name, and resolves its output's shape.</summary>
    /// <exception cref="InvalidGraphException">The node cannot take the shapes of its inputs.</exception>
    public void Add(GraphNode node)
    {
        string name = node.Name;
        for (int i = 2; !_nodeNames.Add(name); i++) name = $"{node.Name}#{i}";
        if (name != node.Name) node = node with { Name = name };
        _shapes[node.Output] = node.OutputShape([.. node.Inputs.Select(v => _shapes[v])]);
        _nodes.Add(node);
    }

    /// <summary>
    /// Renames a value a node computes, in that node and in every node that reads it; false (and nothing changes) when
    /// the value is the model's input, which keeps its own name, or when the new name is taken.
    /// </summary>
    public bool RenameComputed(string from, string to)
    {
        if (_shapes.ContainsKey(to) || IsConstant(to) || !_nodes.Exists(n => n.Output == from)) return false;
        for (int i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            if (node.Output == from || node.Inputs.Contains(from))
                _nodes[i] = node with { Output = node.Output == from ? to : node.Output, Inputs = [.. node.Inputs.Select(v => v == from ? to : v)] };
        }
        _shapes[to] = _shapes[from];
        _shapes.Remove(from);
        foreach (var alias in _aliases.Where(a => a.Value == from).ToArray()) _aliases[alias.Key] = to;
        return true;
    }

    /// <summary>The nodes the value depends on, in order: a node whose output nobody needs (a dead branch) is dropped.</summary>
    public IReadOnlyList<GraphNode> NodesReaching(string output)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal) { output };
        var kept = new List<GraphNode>();
        for (int i = _nodes.Count - 1; i >= 0; i--)
        {
            if (!needed.Contains(_nodes[i].Output)) continue;
            kept.Add(_nodes[i]);
            needed.UnionWith(_nodes[i].Inputs);
        }
        kept.Reverse();
        return kept;
    }

    private string Resolve(string name) => _aliases.TryGetValue(name, out var target) ? target : name;
}
