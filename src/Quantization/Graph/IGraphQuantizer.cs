using static TorchSharp.torch;

namespace QuantCluster.Quantization.Graph;

/// <summary>
/// What a quantized variant of <see cref="GraphNetwork"/> changes about an FP32 run: each value as it is computed (a
/// quantization point observes and fake-quantizes it) and the weight and bias a convolution or linear layer uses.
/// Returning the argument itself leaves it in float.
/// </summary>
internal interface IGraphQuantizer
{
    /// <summary>The value as later nodes see it; the graph's input is passed too.</summary>
    Tensor Value(string value, Tensor x);

    /// <summary>The weight and bias the node computes with, given its parameters.</summary>
    (Tensor Weight, Tensor? Bias) Parameters(GraphNode node, Tensor weight, Tensor? bias);
}
