using System.Runtime.InteropServices;
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
        // Counted where libtorch holds the values (bytes is a view of a contiguous CPU tensor, alive in this scope): a
        // managed copy per batch (1.4 MB for LeNet's first layer at batch 64) went to the large object heap and cost a
        // gen2 collection every few batches.
        var values = real.cpu().contiguous();
        Histogram.Add(MemoryMarshal.Cast<byte, float>(values.bytes));
    }
}
