using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Quantization.Integer;

/// <summary>The activation function an integer layer fuses into its output clamp.</summary>
public enum FusedActivation
{
    None,
    Relu,
    Relu6,
}

/// <summary>
/// One layer of an INT8 model; activations flow between layers as integers in NCHW (or NC) order. Every layer computes with
/// integers except the <see cref="Fp32Conv2d"/> and <see cref="Fp32Linear"/> that accuracy-driven fallback leaves in FP32.
/// </summary>
public abstract record Int8Layer;

/// <summary>
/// A convolution (grouped or depthwise when Groups > 1) with BatchNorm already folded in.
/// Weights are int8 [OutChannels, InChannels/Groups, Kernel, Kernel], symmetric (zero point 0), one scale per output channel
/// (all equal for per-tensor weights); Bias is int32 at scale Input.Scale * WeightScales[c]. Requantizers[c] maps the int32
/// accumulator to Output; ClampMin/ClampMax (in Output's integer domain) apply the fused activation.
/// </summary>
public sealed record Int8Conv2d(
    int InChannels, int OutChannels, int Kernel, int Stride, int Padding, int Groups,
    sbyte[] Weights, int[] Bias, float[] WeightScales, Requantizer[] Requantizers,
    QuantParams Input, QuantParams Output, FusedActivation Activation, int ClampMin, int ClampMax) : Int8Layer;

/// <summary>A fully connected layer: int8 Weights [OutFeatures, InFeatures], same conventions as <see cref="Int8Conv2d"/>.</summary>
public sealed record Int8Linear(
    int InFeatures, int OutFeatures,
    sbyte[] Weights, int[] Bias, float[] WeightScales, Requantizer[] Requantizers,
    QuantParams Input, QuantParams Output, FusedActivation Activation, int ClampMin, int ClampMax) : Int8Layer;

/// <summary>Max pooling; works on quantized values directly because quantization is monotonic.</summary>
/// <remarks>No padding; output size floor((H - Kernel) / Stride) + 1, as PyTorch's default MaxPool2d.</remarks>
public sealed record Int8MaxPool2d(int Kernel, int Stride) : Int8Layer;

/// <summary>Averages each channel over its spatial positions, rounding half to even; output keeps the input's quantization.</summary>
/// <remarks>[N, C, H, W] to [N, C, 1, 1] like AdaptiveAvgPool2d(1): an <see cref="Int8Flatten"/> goes before a following <see cref="Int8Linear"/>.</remarks>
public sealed record Int8GlobalAvgPool() : Int8Layer;

/// <summary>Reshapes [N, C, H, W] to [N, C*H*W]; no arithmetic.</summary>
public sealed record Int8Flatten() : Int8Layer;

/// <summary>
/// A convolution the accuracy-driven fallback left in FP32: a float island between int8 activations, as DequantizeLinear,
/// a float Conv and QuantizeLinear are in a QDQ graph. The int8 input is dequantized with Input, convolved with the float
/// Weights [OutChannels, InChannels/Groups, Kernel, Kernel] (BatchNorm folded) plus Bias, the activation applied in float,
/// and the result quantized with Output, so the next layer receives int8 as from any other layer.
/// </summary>
public sealed record Fp32Conv2d(
    int InChannels, int OutChannels, int Kernel, int Stride, int Padding, int Groups,
    float[] Weights, float[] Bias, QuantParams Input, QuantParams Output, FusedActivation Activation) : Int8Layer;

/// <summary>A fully connected layer left in FP32: float Weights [OutFeatures, InFeatures], same conventions as <see cref="Fp32Conv2d"/>.</summary>
public sealed record Fp32Linear(
    int InFeatures, int OutFeatures, float[] Weights, float[] Bias, QuantParams Input, QuantParams Output, FusedActivation Activation) : Int8Layer;
