using Onnx;

namespace QuantCluster.Quantization.Onnx.Import;

/// <summary>Typed reads of a node's attributes with the ONNX defaults, for the converters.</summary>
internal static class OnnxAttributes
{
    public static long Int(this NodeProto node, string name, long defaultValue) =>
        Find(node, name, AttributeProto.Types.AttributeType.Int)?.I ?? defaultValue;

    public static float Float(this NodeProto node, string name, float defaultValue) =>
        Find(node, name, AttributeProto.Types.AttributeType.Float)?.F ?? defaultValue;

    public static string String(this NodeProto node, string name, string defaultValue) =>
        Find(node, name, AttributeProto.Types.AttributeType.String)?.S.ToStringUtf8() ?? defaultValue;

    public static long[]? Ints(this NodeProto node, string name) =>
        Find(node, name, AttributeProto.Types.AttributeType.Ints) is { } attribute ? [.. attribute.Ints] : null;

    /// <summary>The node's name, or its first output's when the exporter left it empty.</summary>
    public static string DisplayName(this NodeProto node) =>
        node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "(unnamed)";

    /// <summary>Input index, or null when the node leaves that optional input out (absent or empty name).</summary>
    public static string? OptionalInput(this NodeProto node, int index) =>
        index < node.Input.Count && node.Input[index].Length > 0 ? node.Input[index] : null;

    private static AttributeProto? Find(NodeProto node, string name, AttributeProto.Types.AttributeType type)
    {
        var attribute = node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is null) return null;
        // Old exporters leave the type unset (UNDEFINED); anything else must be the type the op defines.
        if (attribute.Type != type && attribute.Type != AttributeProto.Types.AttributeType.Undefined)
            throw new NodeConversionException($"attribute '{name}' is {attribute.Type}, expected {type}");
        return attribute;
    }
}
