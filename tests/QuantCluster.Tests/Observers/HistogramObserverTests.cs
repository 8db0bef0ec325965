using QuantCluster.Quantization.Observers;
using QuantCluster.Tests.Quantization;
using static TorchSharp.torch;

namespace QuantCluster.Tests.Observers;

/// <summary>The observer counts exactly the values of the real rows, read from libtorch's memory, whatever the tensor's layout.</summary>
[Collection(TorchTests.Name)]
public sealed class HistogramObserverTests
{
    [Fact]
    public void A_transposed_batch_is_counted_value_for_value_and_padding_rows_are_not()
    {
        var bins = new HistogramBins(-2f, 2f, 64, false);
        // Rows 0-2 are real; the last row repeats row 0 to fill the batch. Transposing twice gives a non-contiguous view
        // of the same values, whose memory order is not the row order.
        float[] values = [.. Enumerable.Range(0, 4 * 6).Select(i => ((i * 37) % 23 / 6f) - 1.9f)];
        using var stored = tensor(values, [6, 4]);
        using var batch = stored.t();
        Assert.False(batch.is_contiguous());
        var observer = new HistogramObserver(bins) { Rows = 3 };

        observer.Seen(batch);

        var expected = new Histogram(bins);
        for (int row = 0; row < 3; row++)
            for (int column = 0; column < 6; column++) expected.Add([values[(column * 4) + row]]);
        Assert.Equal(expected.ToArray(), observer.Histogram.ToArray());
    }
}
