using QuantCluster.Quantization.Data;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Models;

/// <summary>Samples as a model takes them: an [N, channels, height, width] float tensor, scaled and normalized.</summary>
public static class InputBatch
{
    public static Tensor Of(LabeledImages data, int[] indices) => Of(data, data.Inputs(indices), indices.Length);

    /// <summary>Values already selected (and perhaps augmented), count samples of the data set's shape, contiguous.</summary>
    public static Tensor Of(LabeledImages data, float[] values, int count) =>
        tensor(values, [count, data.Shape.Channels, data.Shape.Height, data.Shape.Width]);
}
