using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Evaluation;

/// <summary>Runs a network in eval mode over a data set (FP32 or fake-quantized, as the network is configured) and returns its predictions.</summary>
public static class TorchPredictor
{
    public static int[] Predict(QuantizableNetwork network, LabeledImages data, int batchSize, IReadOnlyList<int>? indices = null)
    {
        var order = indices?.ToArray() ?? Enumerable.Range(0, data.Count).ToArray();
        var predictions = new int[order.Length];
        var device = network.parameters().First().device;
        network.eval();
        using var _ = no_grad();
        for (int start = 0; start < order.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int[] batch = order[start..Math.Min(order.Length, start + batchSize)];
            var inputs = InputBatch.Of(data, batch).to(device);
            var best = network.call(inputs).argmax(1).cpu().data<long>().ToArray();
            for (int i = 0; i < best.Length; i++) predictions[start + i] = (int)best[i];
        }
        return predictions;
    }
}
