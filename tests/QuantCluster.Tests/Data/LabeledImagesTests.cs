using QuantCluster.Quantization.Data;

namespace QuantCluster.Tests.Data;

public sealed class LabeledImagesTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_pairs_images_with_their_labels()
    {
        string images = _temp.Write("images", IdxBytes.Build(0x00000803, [3, 2, 2], [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]));
        string labels = _temp.Write("labels.gz", IdxBytes.Gzip(IdxBytes.Labels(9, 0, 5)));

        LabeledImages data = LabeledImages.Load(images, labels);

        Assert.Equal(3, data.Count);
        Assert.Equal(2, data.Rows);
        Assert.Equal(2, data.Columns);
        Assert.Equal(new byte[] { 9, 0, 5 }, data.Labels);
        Assert.Equal(12, data.Pixels.Length);
    }

    [Fact]
    public void Label_count_different_from_image_count_is_rejected()
    {
        string images = _temp.Write("t10k-images", IdxBytes.Images(3, 28, 28));
        string labels = _temp.Write("t10k-labels", IdxBytes.Labels(1, 2));

        IdxReaderTests.AssertRejected(labels, $"2 labels, but {images} has 3 images", () => LabeledImages.Load(images, labels));
    }

    [Fact]
    public void Label_outside_0_to_9_is_rejected_with_its_index()
    {
        string images = _temp.Write("images", IdxBytes.Images(4, 28, 28));
        string labels = _temp.Write("labels", IdxBytes.Labels(3, 9, 10, 200));

        IdxReaderTests.AssertRejected(labels, "label 10 at index 2 is outside 0-9", () => LabeledImages.Load(images, labels));
    }

    [Fact]
    public void Errors_in_the_images_file_name_the_images_file()
    {
        string images = _temp.Write("images", IdxBytes.Labels(1));
        string labels = _temp.Write("labels", IdxBytes.Labels(1));

        IdxReaderTests.AssertRejected(images, "expected magic 0x00000803", () => LabeledImages.Load(images, labels));
    }

    [Fact]
    public void PixelsAsFloats_concatenates_the_selected_images_scaled_to_unit_range()
    {
        var data = new LabeledImages(1, 2, [0, 255, 51, 102, 1, 254], [0, 1, 2]);

        float[] batch = data.PixelsAsFloats([2, 0, 2]);

        Assert.Equal(new[] { 1 / 255f, 254 / 255f, 0f, 1f, 1 / 255f, 254 / 255f }, batch);
    }

    [Fact]
    public void PixelsAsFloats_of_no_indices_is_empty()
    {
        var data = new LabeledImages(28, 28, new byte[784], [4]);

        Assert.Empty(data.PixelsAsFloats([]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void PixelsAsFloats_rejects_an_index_outside_the_dataset(int index)
    {
        var data = new LabeledImages(1, 1, [1, 2, 3], [0, 1, 2]);

        Assert.Throws<ArgumentOutOfRangeException>(() => data.PixelsAsFloats([0, index]));
    }

    [Fact]
    public void Constructor_rejects_pixels_that_do_not_fit_the_labels()
    {
        Assert.Throws<ArgumentException>(() => new LabeledImages(28, 28, new byte[783], [0]));
    }
}
