using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>
/// Gemm of a computed [N, K] value by a constant matrix, plus an optional constant bias, becomes a <see cref="LinearNode"/>
/// with alpha multiplied into the weights and beta into the bias.
/// </summary>
internal sealed class GemmConverter : IOpConverter
{
    public string OpType => "Gemm";

    public OpsetRange Opsets => OpsetRange.From(7);

    public void Convert(NodeProto node, ImportContext context)
    {
        string input = context.Value(node.Input[0]);
        if (node.Int("transA", 0) != 0) throw new NodeConversionException("transA = 1; only the samples as rows of A are supported");
        var matrix = context.Constant(node.Input[1], "B (the weight)");
        if (matrix.Dims.Length != 2) throw new NodeConversionException($"B {matrix} is not a matrix");
        bool transposed = node.Int("transB", 0) != 0;
        int outFeatures = checked((int)matrix.Dims[transposed ? 0 : 1]);
        int inFeatures = checked((int)matrix.Dims[transposed ? 1 : 0]);
        float alpha = node.Float("alpha", 1f), beta = node.Float("beta", 1f);
        float[] weight = Linear.Weight(matrix.AsFloats("B (the weight)"), inFeatures, outFeatures, transposed, alpha);
        float[]? bias = null;
        if (node.OptionalInput(2) is { } c)
        {
            float[] values = context.Constant(c, "C (the bias)").AsFloats("C (the bias)");
            if (values.Length != 1 && values.Length != outFeatures) throw new NodeConversionException($"C has {values.Length} values for {outFeatures} outputs");
            bias = [.. Enumerable.Range(0, outFeatures).Select(j => beta * values[values.Length == 1 ? 0 : j])];
        }
        context.Add(new LinearNode(node.DisplayName(), input, node.Output[0], inFeatures, outFeatures, weight, bias));
    }
}

/// <summary>MatMul of a computed value by a constant [K, M] matrix becomes a <see cref="LinearNode"/> without bias.</summary>
internal sealed class MatMulConverter : IOpConverter
{
    public string OpType => "MatMul";

    public OpsetRange Opsets => OpsetRange.From(1);

    public void Convert(NodeProto node, ImportContext context)
    {
        string input = context.Value(node.Input[0]);
        var matrix = context.Constant(node.Input[1], "the right-hand matrix");
        if (matrix.Dims.Length != 2) throw new NodeConversionException($"the right-hand side {matrix} is not a matrix; only a value times a constant matrix is supported");
        int inFeatures = checked((int)matrix.Dims[0]), outFeatures = checked((int)matrix.Dims[1]);
        float[] weight = Linear.Weight(matrix.AsFloats("the right-hand matrix"), inFeatures, outFeatures, transposed: false, alpha: 1f);
        context.Add(new LinearNode(node.DisplayName(), input, node.Output[0], inFeatures, outFeatures, weight, Bias: null));
    }
}

internal static class Linear
{
    /// <summary>alpha * the matrix in torch's [out, in] layout, from ONNX's [in, out] or (transposed) [out, in].</summary>
    public static float[] Weight(float[] matrix, int inFeatures, int outFeatures, bool transposed, float alpha)
    {
        var weight = new float[matrix.Length];
        for (int o = 0; o < outFeatures; o++)
        {
            for (int i = 0; i < inFeatures; i++) weight[o * inFeatures + i] = alpha * matrix[transposed ? o * inFeatures + i : i * outFeatures + o];
        }
        return weight;
    }
}
