using QuantCluster.Quantization.Integer;

namespace QuantCluster.Quantization.Models;

/// <summary>One step of a sequential zoo architecture; a compact description both the torch model and the converter read.</summary>
public abstract record LayerSpec;

/// <summary>A convolution, optionally followed by BatchNorm, then an activation; its output is a quantization point.</summary>
public sealed record ConvSpec(
    int InChannels, int OutChannels, int Kernel, int Stride, int Padding, int Groups, bool BatchNorm, FusedActivation Activation) : LayerSpec;

/// <summary>A fully connected layer followed by an activation; its output is a quantization point.</summary>
public sealed record LinearSpec(int InFeatures, int OutFeatures, FusedActivation Activation) : LayerSpec;

/// <summary>Max pooling.</summary>
public sealed record MaxPoolSpec(int Kernel, int Stride) : LayerSpec;

/// <summary>Global average pooling; its output keeps the input's quantization.</summary>
public sealed record GlobalAvgPoolSpec : LayerSpec;

/// <summary>Flattens [N, C, H, W] to [N, C*H*W].</summary>
public sealed record FlattenSpec : LayerSpec;
