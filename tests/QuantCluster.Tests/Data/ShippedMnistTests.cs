using QuantCluster.Quantization.Data;

namespace QuantCluster.Tests.Data;

public class ShippedMnistTests
{
    private static readonly string MnistFolder = FindMnistFolder();

    [Theory]
    [InlineData("train", 8000, new[] { 797, 908, 791, 809, 778, 704, 823, 849, 751, 790 })]
    [InlineData("t10k", 2000, new[] { 204, 219, 200, 223, 202, 159, 191, 221, 193, 188 })]
    public void Shipped_split_loads_with_every_digit_in_the_counts_the_README_gives(string split, int count, int[] perDigit)
    {
        LabeledImages data = Load(split);

        Assert.Equal(count, data.Count);
        Assert.Equal(new ImageShape(1, 28, 28), data.Shape);
        Assert.Equal(count * 28 * 28, data.Bytes().Length);
        int[] found = new int[10];
        foreach (int label in data.Labels)
        {
            found[label]++;
        }

        Assert.Equal(perDigit, found);
        Assert.All(found, n => Assert.True(n > 0));
    }

    [Fact]
    public void Shipped_images_are_real_digits_not_blank()
    {
        LabeledImages data = Load("t10k");

        // Real MNIST digits use the full byte range and cover roughly a fifth of the 784 pixels.
        Assert.Equal(255, data.Bytes().Max());
        double inked = data.Bytes().Count(p => p > 0) / (double)data.Bytes().Length;
        Assert.InRange(inked, 0.1, 0.3);
    }

    [Fact]
    public void Inputs_of_shipped_images_are_pixel_over_255()
    {
        LabeledImages data = Load("train");
        int[] indices = [7999, 0, 4321];

        float[] batch = data.Inputs(indices);

        Assert.Equal(3 * 784, batch.Length);
        for (int i = 0; i < indices.Length; i++)
        {
            for (int p = 0; p < 784; p++)
            {
                Assert.Equal(data.Bytes()[(indices[i] * 784) + p] / 255f, batch[(i * 784) + p]);
            }
        }
    }

    private static LabeledImages Load(string split) => TestImages.Load(DataFormat.IdxFiles,
        Path.Combine(MnistFolder, $"{split}-images-idx3-ubyte.gz"),
        Path.Combine(MnistFolder, $"{split}-labels-idx1-ubyte.gz"),
        [1, 28, 28]);

    // Tests run from bin/...; the data lives at the repository root.
    private static string FindMnistFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data", "mnist");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"no data/mnist above {AppContext.BaseDirectory}");
    }
}
