using QuantCluster.Quantization.Onnx.Import.Converters;

namespace QuantCluster.Quantization.Onnx.Import;

/// <summary>
/// The converters the importer knows, by op type and opset range. Adding an op is adding a converter to the list in
/// <see cref="Default"/>; nothing else changes.
/// </summary>
internal sealed class OpConverterRegistry
{
    private readonly Dictionary<string, IOpConverter[]> _byOpType;

    public OpConverterRegistry(IEnumerable<IOpConverter> converters)
    {
        _byOpType = converters.GroupBy(c => c.OpType, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        SupportedOps = [.. _byOpType.Keys.Order(StringComparer.Ordinal)];
    }

    public static OpConverterRegistry Default { get; } = new(
    [
        new ConvConverter(),
        new BatchNormalizationConverter(),
        new ActivationConverter("Relu", OpsetRange.From(1), (name, input, output, _) => Graph.ActivationNode.Relu(name, input, output)),
        new ActivationConverter("Sigmoid", OpsetRange.From(1), (name, input, output, _) => Graph.ActivationNode.Sigmoid(name, input, output)),
        new ActivationConverter("HardSwish", OpsetRange.From(14), (name, input, output, _) => Graph.ActivationNode.HardSwish(name, input, output)),
        new ActivationConverter("HardSigmoid", OpsetRange.From(6), (name, input, output, node) =>
            Graph.ActivationNode.HardSigmoid(name, input, output, node.Float("alpha", 0.2f), node.Float("beta", 0.5f))),
        new ClipWithAttributesConverter(),
        new ClipWithInputsConverter(),
        new ElementwiseConverter("Add", (name, left, right, output) => new Graph.AddNode(name, left, right, output)),
        new ElementwiseConverter("Mul", (name, left, right, output) => new Graph.MulNode(name, left, right, output)),
        new MaxPoolConverter(),
        new AveragePoolConverter(),
        new GlobalAveragePoolConverter(),
        new ReduceMeanConverter(),
        new FlattenConverter(),
        new ReshapeConverter(),
        new GemmConverter(),
        new MatMulConverter(),
        new ConcatConverter(),
        new PassThroughConverter("Identity"),
        new PassThroughConverter("Dropout"),
        new ConstantConverter(),
        new ShapeConverter(),
        new GatherConverter(),
        new UnsqueezeWithAttributeConverter(),
        new UnsqueezeWithInputConverter(),
    ]);

    /// <summary>Every op type some opset of which converts, sorted: what an unsupported op's error lists.</summary>
    public IReadOnlyList<string> SupportedOps { get; }

    /// <summary>The converter for an op at the model's opset; null when no converter takes the op at all.</summary>
    /// <exception cref="NodeConversionException">Converters exist for the op, but none for this opset.</exception>
    public IOpConverter? Find(string opType, long opset)
    {
        if (!_byOpType.TryGetValue(opType, out var candidates)) return null;
        return candidates.FirstOrDefault(c => c.Opsets.Contains(opset))
            ?? throw new NodeConversionException($"opset {opset} is not supported for {opType} (supported: opsets {string.Join(", ", candidates.Select(c => c.Opsets))})");
    }
}
