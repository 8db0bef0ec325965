using QuantCluster.Quantization.FakeQuant;
using QuantCluster.Quantization.Graph;
using QuantCluster.Quantization.GraphQuantization;
using QuantCluster.Quantization.Onnx.Import;
using QuantCluster.Quantization.Schemes;
using QuantCluster.Tests.Onnx;
using QuantCluster.Tests.Onnx.Import;
using static TorchSharp.torch;

namespace QuantCluster.Tests.GraphQuantization;

/// <summary>A shipped fixture imported, prepared and calibrated on real training digits shaped for its input.</summary>
internal static class CalibratedGraphs
{
    public const int CalibrationSamples = 512;
    public const int Batch = 128;

    public static QuantizedGraphNetwork Prepared(string file, ActivationScheme scheme = ActivationScheme.AsymmetricUInt8) =>
        new(GraphQuantizer.Prepare(OnnxModelImporter.Import(ShippedOnnxModels.PathOf(file))), scheme);

    /// <summary>Calibrated with exact min/max on the first 512 training digits, then fake quantization on and observers off.</summary>
    public static QuantizedGraphNetwork Calibrated(string file, ActivationScheme scheme = ActivationScheme.AsymmetricUInt8)
    {
        var network = Prepared(file, scheme);
        GraphCalibration.Observe(network, Batches(network, "train", 0, CalibrationSamples));
        network.Configure(ObserverMode.Off, fakeQuantize: true);
        return network;
    }

    /// <summary>count digits of a split from first on, as batches of the network's input shape.</summary>
    public static IEnumerable<Tensor> Batches(QuantizedGraphNetwork network, string split, int first, int count)
    {
        var shape = network.Graph.InputShape;
        float[] images = Digits(split, first + count, shape);
        int perSample = (int)shape.ElementCount;
        for (int start = first; start < first + count; start += Batch)
        {
            int n = Math.Min(Batch, first + count - start);
            yield return tensor(images[(start * perSample)..((start + n) * perSample)], shape.WithBatch(n));
        }
    }

    public static float[] Digits(string split, int count, Shape shape) =>
        ShippedOnnxModels.Digits(ShippedMnist.Load(split), count, shape[0], shape[1]);
}
