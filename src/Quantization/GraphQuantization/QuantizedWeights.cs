namespace QuantCluster.Quantization.GraphQuantization;

/// <summary>
/// A layer's weights as the INT8 model holds them: Weight row-major int8 of shape Shape, one symmetric scale per output
/// channel (zero points 0), the bias as int32 with its own scale per channel (s_in * s_w[c]).
/// </summary>
public sealed record QuantizedWeights(sbyte[] Weight, long[] Shape, float[] WeightScales, int[] Bias, float[] BiasScales);
