using Onnx;

namespace QuantCluster.Quantization.Onnx.Import;

/// <summary>
/// Turns one ONNX node into graph nodes, constants or an alias (onnx2torch's node converters): one small class per op
/// and opset range, registered in <see cref="OpConverterRegistry"/>.
/// </summary>
internal interface IOpConverter
{
    string OpType { get; }

    OpsetRange Opsets { get; }

    /// <exception cref="NodeConversionException">The node uses a form of the op this converter does not take.</exception>
    void Convert(NodeProto node, ImportContext context);
}
