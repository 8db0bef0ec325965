using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;

namespace QuantCluster.Quantization.Evaluation;

/// <summary>Samples a job measures accuracy on: torch runs float and fake-quantized networks over them, the integer executor INT8 models.</summary>
public sealed class EvaluationSamples(LabeledImages images)
{
    // The integer executor reads floats; every INT8 evaluation on these samples shares one copy.
    private readonly Lazy<float[]> _pixels = new(() => images.Inputs([.. Enumerable.Range(0, images.Count)]));

    public LabeledImages Images => images;

    public int Count => images.Count;

    public double OfNetwork(QuantizableNetwork network, int batchSize) => Accuracy.Of(TorchPredictor.Predict(network, images, batchSize), images.Labels);

    public int[] PredictInteger(Int8Model model) => new IntegerExecutor().Predict(model, _pixels.Value, images.Count);

    public double OfInteger(Int8Model model) => Accuracy.Of(PredictInteger(model), images.Labels);
}
