using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using QuantCluster.Quantization.Onnx;

namespace QuantCluster.Tests.Onnx;

/// <summary>Runs an exported model in ONNX Runtime on one thread, as the tests and the benchmark measure it.</summary>
internal sealed class OrtSession : IDisposable
{
    private readonly InferenceSession _session;

    public OrtSession(byte[] model, string? optimizedModelPath = null, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_ALL)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = level,
        };
        if (optimizedModelPath is not null) options.OptimizedModelFilePath = optimizedModelPath;
        _session = new InferenceSession(model, options);
    }

    public static OrtSession Of(ModelProto model, string? optimizedModelPath = null) =>
        new(Google.Protobuf.MessageExtensions.ToByteArray(model), optimizedModelPath);

    /// <summary>The logits of count samples of 1x28x28 floats.</summary>
    public float[] Logits(float[] inputs, int count)
    {
        var tensor = new DenseTensor<float>(inputs.AsMemory(0, count * 28 * 28), [count, 1, 28, 28]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(OnnxNames.Input, tensor)]);
        return [.. results.Single(r => r.Name == OnnxNames.Output).AsEnumerable<float>()];
    }

    public int[] Predict(float[] inputs, int count, int batch = 500)
    {
        var classes = new int[count];
        for (int start = 0; start < count; start += batch)
        {
            int n = Math.Min(batch, count - start);
            float[] logits = Logits(inputs[(start * 784)..((start + n) * 784)], n);
            for (int i = 0; i < n; i++) classes[start + i] = ArgMax(logits.AsSpan(i * 10, 10));
        }
        return classes;
    }

    public void Dispose() => _session.Dispose();

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++)
        {
            if (row[j] > row[best]) best = j;
        }
        return best;
    }
}
