using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QuantCluster.Quantization.Data;

namespace QuantCluster.Tests.Onnx.Import;

/// <summary>The torchvision models shipped in Onnx/Models (see its README) and real digits shaped for their input.</summary>
internal static class ShippedOnnxModels
{
    /// <summary>
    /// The export with TrainingMode.TRAINING as written: its BatchNormalization nodes also output statistics, so ONNX
    /// Runtime normalises with the batch's statistics, which is what the network does in train mode.
    /// </summary>
    public const string TrainModeBatchNorm = "resnet-3x32x32-opset13-bn-train.onnx";

    public static readonly string[] Files =
    [
        "resnet-1x28x28-opset13.onnx",
        "resnet-3x32x32-opset13.onnx",
        "resnet-3x32x32-opset13-bn.onnx",
        TrainModeBatchNorm,
        "mobilenet_v2-1x28x28-opset13.onnx",
        "mobilenet_v2-3x32x32-opset13.onnx",
        "mobilenet_v2-3x32x32-opset11.onnx",
        "mobilenet_v3_small-1x28x28-opset13.onnx",
        "mobilenet_v3_small-3x32x32-opset13.onnx",
        "mobilenet_v3_small-3x32x32-opset17.onnx",
        "branchy-1x28x28-opset13.onnx",
    ];

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Onnx", "Models", file);

    /// <summary>
    /// count MNIST test digits as [count, channels, size, size] floats in [0, 1]: a 28x28 digit zero-padded to the size
    /// and repeated on every channel, so RGB models see real images too.
    /// </summary>
    public static float[] Digits(LabeledImages digits, int count, int channels, int size)
    {
        int pad = (size - 28) / 2;
        float[] pixels = digits.Inputs([.. Enumerable.Range(0, count)]);
        var images = new float[count * channels * size * size];
        for (int n = 0; n < count; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < 28; y++)
                {
                    pixels.AsSpan((n * 28 + y) * 28, 28).CopyTo(images.AsSpan((((n * channels + c) * size) + y + pad) * size + pad, 28));
                }
            }
        }
        return images;
    }

    /// <summary>ONNX Runtime's outputs for the model file on one thread, with graph optimizations off so it runs the file's own ops.</summary>
    public static float[] OrtOutputs(string path, float[] inputs, long[] shape)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(path, options);
        var tensor = new DenseTensor<float>(inputs, [.. shape.Select(d => (int)d)]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), tensor)]);
        return [.. results.Single().AsEnumerable<float>()];
    }
}
