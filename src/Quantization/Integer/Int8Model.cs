using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Quantization.Integer;

/// <summary>
/// A converted model that runs with integer arithmetic only: the input is quantized with Input, then each layer maps integers to integers.
/// InputShape is one sample's shape (e.g. [1, 28, 28]); the last layer's output holds the class logits in its own quantized domain.
/// </summary>
public sealed record Int8Model(string Architecture, int[] InputShape, QuantParams Input, IReadOnlyList<Int8Layer> Layers);
