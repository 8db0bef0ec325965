using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>ONNX axes count the batch; graph shapes do not.</summary>
internal static class Axes
{
    /// <summary>The per-sample axis an ONNX axis (negative counts from the end) names on a value of this shape.</summary>
    /// <exception cref="NodeConversionException">The axis is the batch axis or outside the tensor.</exception>
    public static int PerSample(long axis, Shape shape)
    {
        int rank = shape.Rank + 1;
        long full = axis < 0 ? axis + rank : axis;
        if (full < 0 || full >= rank) throw new NodeConversionException($"axis {axis} is outside a tensor of rank {rank}");
        if (full == 0) throw new NodeConversionException($"axis {axis} is the batch axis; ops across samples are not supported");
        return (int)full - 1;
    }
}
