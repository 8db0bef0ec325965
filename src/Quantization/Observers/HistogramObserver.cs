using static TorchSharp.torch;

namespace QuantCluster.Quantization.Observers;

/// <summary>Counts one quantization point's activations into a histogram on fixed bins; memory is O(bins) plus one batch.</summary>
public sealed class HistogramObserver(HistogramBins bins) : IActivationTap
{
    public Histogram Histogram { get; } = new(bins);

    /// <summary>How many leading rows of the next batches are real samples; the rest repeat them to fill the batch and must not be counted twice.</summary>
    public int Rows { get; set; } = int.MaxValue;

    public void Seen(Tensor activation)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var real = activation.shape[0] > Rows ? activation.narrow(0, 0, Rows) : activation;
        Histogram.Add(real.contiguous().data<float>().ToArray());
    }
}
