using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Observers;
using QuantCluster.Quantization.Schemes;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Evaluation;

/// <summary>
/// Per-layer sensitivity of a calibrated network: each compute layer quantized alone, everything but that layer quantized,
/// and everything but that layer's weights quantized (the fallback configuration). Three passes per layer and batch.
/// </summary>
public static class SensitivityAnalysis
{
    public static IReadOnlyList<LayerSensitivity> Measure(
        QuantizableNetwork network, LabeledImages data, IReadOnlyList<int> samples, int batchSize, WeightGranularity weights)
    {
        var layers = network.Layers.Select((l, i) => (Name: LayerNames.Layer(i), Layer: l as QuantizableLayer))
            .Where(x => x.Layer is not null).Select(x => (x.Name, Layer: x.Layer!)).ToArray();
        var signal = new double[layers.Length];
        var noise = new double[layers.Length];
        var onlyCorrect = new int[layers.Length];
        var allButCorrect = new int[layers.Length];
        var leftInFp32Correct = new int[layers.Length];
        var order = samples.ToArray();
        network.eval();
        using var _ = no_grad();
        try
        {
            for (int start = 0; start < order.Length; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int[] batch = order[start..Math.Min(order.Length, start + batchSize)];
                var inputs = InputBatch.Of(data, batch);
                var labels = batch.Select(i => (long)data.Labels[i]).ToArray();

                var reference = layers.Select(_ => new Capture()).ToArray();
                network.Configure(ObserverMode.Off, fakeQuantize: false, weights);
                for (int l = 0; l < layers.Length; l++) layers[l].Layer.Output.Tap = reference[l];
                network.call(inputs);

                for (int l = 0; l < layers.Length; l++)
                {
                    network.Configure(ObserverMode.Off, fakeQuantize: false, weights);
                    Quantize(layers[l].Layer, true);
                    var quantized = new Capture();
                    foreach (var (_, layer) in layers) layer.Output.Tap = null;
                    layers[l].Layer.Output.Tap = quantized;
                    onlyCorrect[l] += Correct(network.call(inputs), labels);
                    for (int i = 0; i < quantized.Values.Length; i++)
                    {
                        double r = reference[l].Values[i], e = quantized.Values[i] - r;
                        signal[l] += r * r;
                        noise[l] += e * e;
                    }
                    layers[l].Layer.Output.Tap = null;

                    network.Configure(ObserverMode.Off, fakeQuantize: true, weights);
                    Quantize(layers[l].Layer, false);
                    allButCorrect[l] += Correct(network.call(inputs), labels);

                    // What QuantizableLayer.KeptInFp32 computes: float weights between the int8 activations around them.
                    layers[l].Layer.Output.FakeQuantEnabled = true;
                    leftInFp32Correct[l] += Correct(network.call(inputs), labels);
                }
            }
        }
        finally
        {
            foreach (var (_, layer) in layers) layer.Output.Tap = null;
            network.Configure(ObserverMode.Off, fakeQuantize: false, weights);
        }
        return [.. layers.Select((x, l) => new LayerSensitivity(x.Name, Sqnr(signal[l], noise[l]),
            (double)onlyCorrect[l] / order.Length, (double)allButCorrect[l] / order.Length, (double)leftInFp32Correct[l] / order.Length))];
    }

    /// <summary>10 log10(signal / noise) in dB; null when quantization changed nothing.</summary>
    public static double? Sqnr(double signal, double noise) => noise == 0 ? null : 10 * Math.Log10(signal / noise);

    private static void Quantize(QuantizableLayer layer, bool on)
    {
        layer.FakeQuantWeights = on;
        layer.Output.FakeQuantEnabled = on;
    }

    private static int Correct(Tensor logits, long[] labels)
    {
        var best = logits.argmax(1).data<long>().ToArray();
        return best.Where((b, i) => b == labels[i]).Count();
    }

    /// <summary>Keeps a copy of the last activation a point output, on the managed heap so it outlives the batch's tensors.</summary>
    private sealed class Capture : IActivationTap
    {
        public float[] Values { get; private set; } = [];

        public void Seen(Tensor activation) => Values = activation.contiguous().data<float>().ToArray();
    }
}
