using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace QuantCluster.Quantization.Onnx.Import;

/// <summary>Reads an ONNX TensorProto (initializer or Constant value) into a <see cref="ConstantTensor"/>.</summary>
internal static class TensorReader
{
    /// <summary>Arrays of .NET and protobuf messages stop at 2 GB; a tensor bigger than that cannot be in the file.</summary>
    public const long MaxBytes = int.MaxValue;

    /// <exception cref="NodeConversionException">External data, an unsupported element type, a size over 2 GB, or too few bytes.</exception>
    public static ConstantTensor Read(TensorProto tensor)
    {
        if (IsExternal(tensor))
            throw new NodeConversionException($"tensor '{tensor.Name}' keeps its data in an external file ({ExternalLocation(tensor)}); only models with the weights inside the .onnx file (under 2 GB) can be imported");
        long[] dims = [.. tensor.Dims];
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0) throw new NodeConversionException($"tensor '{tensor.Name}' has a negative dimension in [{string.Join(", ", dims)}]");
            count = checked(count * d);
        }
        var type = (TensorProto.Types.DataType)tensor.DataType;
        int elementSize = type is TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Int32 ? 4 : 8;
        if (count * elementSize > MaxBytes)
            throw new NodeConversionException($"tensor '{tensor.Name}' [{string.Join(", ", dims)}] is over 2 GB; the importer reads tensors up to 2 GB");
        var raw = tensor.RawData.Span;
        bool fromRaw = !tensor.RawData.IsEmpty;
        if (fromRaw && raw.Length != count * elementSize)
            throw new NodeConversionException($"tensor '{tensor.Name}' [{string.Join(", ", dims)}] of {type} needs {count * elementSize} bytes, the file holds {raw.Length} (truncated?)");
        // ONNX raw_data is little-endian, which is what MemoryMarshal reads on every platform .NET runs torch on.
        var result = type switch
        {
            TensorProto.Types.DataType.Float => ConstantTensor.FromFloats(fromRaw ? MemoryMarshal.Cast<byte, float>(raw).ToArray() : [.. tensor.FloatData], dims),
            TensorProto.Types.DataType.Double => ConstantTensor.FromFloats(fromRaw ? [.. MemoryMarshal.Cast<byte, double>(raw).ToArray().Select(v => (float)v)] : [.. tensor.DoubleData.Select(v => (float)v)], dims),
            TensorProto.Types.DataType.Int64 => ConstantTensor.FromIntegers(fromRaw ? MemoryMarshal.Cast<byte, long>(raw).ToArray() : [.. tensor.Int64Data], dims),
            TensorProto.Types.DataType.Int32 => ConstantTensor.FromIntegers(fromRaw ? [.. MemoryMarshal.Cast<byte, int>(raw).ToArray().Select(v => (long)v)] : [.. tensor.Int32Data.Select(v => (long)v)], dims),
            _ => throw new NodeConversionException($"tensor '{tensor.Name}' holds {type}; the importer reads float, double, int32 and int64 tensors"),
        };
        long held = result.Floats?.LongLength ?? result.Integers!.LongLength;
        if (held != count)
            throw new NodeConversionException($"tensor '{tensor.Name}' [{string.Join(", ", dims)}] needs {count} values, the file holds {held} (truncated?)");
        return result;
    }

    public static bool IsExternal(TensorProto tensor) =>
        tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0;

    private static string ExternalLocation(TensorProto tensor) =>
        tensor.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value is { } location ? $"'{location}'" : "no location given";

    /// <summary>Lets go of the bytes an initializer was read from, so a model's weights are not held twice while it is imported.</summary>
    public static void Release(TensorProto tensor) => tensor.RawData = ByteString.Empty;
}
