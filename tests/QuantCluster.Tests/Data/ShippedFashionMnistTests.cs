using QuantCluster.Quantization.Data;
using QuantCluster.Tests.Plans;

namespace QuantCluster.Tests.Data;

/// <summary>The shipped Fashion-MNIST subset is what its README says: the counts per class, and the normalization the examples use.</summary>
public sealed class ShippedFashionMnistTests
{
    [Theory]
    [InlineData("train", new[] { 747, 860, 809, 807, 763, 795, 807, 818, 792, 802 })]
    [InlineData("t10k", new[] { 200, 203, 214, 190, 219, 195, 197, 200, 194, 188 })]
    public void Shipped_split_loads_with_the_counts_per_class_the_README_gives(string split, int[] perClass)
    {
        string folder = Path.Combine(Repository.Root(), "data", "fashion-mnist");

        var data = TestImages.Load(DataFormat.IdxFiles, Path.Combine(folder, $"{split}-images-idx3-ubyte.gz"), Path.Combine(folder, $"{split}-labels-idx1-ubyte.gz"), [1, 28, 28]);

        Assert.Equal(perClass, Enumerable.Range(0, 10).Select(c => data.Labels.Count(l => l == c)));
    }

    [Fact]
    public void Training_images_have_the_mean_and_std_the_README_gives()
    {
        string folder = Path.Combine(Repository.Root(), "data", "fashion-mnist");
        var data = TestImages.Load(DataFormat.IdxFiles, Path.Combine(folder, "train-images-idx3-ubyte.gz"), Path.Combine(folder, "train-labels-idx1-ubyte.gz"), [1, 28, 28]);

        double[] values = [.. data.Bytes().Select(b => b / 255.0)];
        double mean = values.Average();

        Assert.Equal(0.2851, mean, 0.0001);
        Assert.Equal(0.3534, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))), 0.0001);
    }
}
