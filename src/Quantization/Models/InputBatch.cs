using QuantCluster.Quantization.Data;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Models;

/// <summary>Digits as the zoo models take them: an [N, 1, rows, columns] float tensor of pixels in [0, 1].</summary>
public static class InputBatch
{
    public static Tensor Of(LabeledImages data, int[] indices) => Of(data, data.PixelsAsFloats(indices), indices.Length);

    /// <summary>Pixels already selected (and perhaps augmented), count images of the data set's size, contiguous.</summary>
    public static Tensor Of(LabeledImages data, float[] pixels, int count) => tensor(pixels, [count, 1, data.Rows, data.Columns]);
}
