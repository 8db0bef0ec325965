namespace QuantCluster.Quantization.Onnx.Import;

/// <summary>
/// A tensor known at import time: an initializer, a Constant node's value, or the result of folding a shape computation.
/// Float tensors hold Floats (weights, clip bounds); integer tensors hold Integers (shapes, axes, indices).
/// </summary>
internal sealed record ConstantTensor(long[] Dims, float[]? Floats, long[]? Integers)
{
    /// <summary>
    /// The batch size where a shape computation met it: Shape of a value with a dynamic batch gives this in position 0,
    /// Gather, Unsqueeze and Concat carry it along, and Reshape reads it as "keep the batch". Nothing does arithmetic on it.
    /// </summary>
    public const long Batch = long.MinValue;

    public static ConstantTensor FromFloats(float[] values, params long[] dims) => new(dims, values, null);

    public static ConstantTensor FromIntegers(long[] values, params long[] dims) => new(dims, null, values);

    public float[] AsFloats(string what) =>
        Floats ?? Integers?.Select(v => v == Batch ? throw new NodeConversionException($"{what} depends on the batch size") : (float)v).ToArray()
        ?? throw new NodeConversionException($"{what} holds no values");

    public long[] AsIntegers(string what) =>
        Integers ?? throw new NodeConversionException($"{what} must be an integer tensor, it holds floats");

    public float AsScalar(string what)
    {
        var values = AsFloats(what);
        return values.Length == 1 ? values[0] : throw new NodeConversionException($"{what} must hold one value, it holds {values.Length}");
    }

    public override string ToString() => $"{(Floats is null ? "int" : "float")} [{string.Join(", ", Dims)}]";
}
