using QuantCluster.Quantization.Data;

namespace QuantCluster.Tests.Data;

public sealed class LabeledImagesTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Idx_files_load_as_single_channel_samples_with_their_labels()
    {
        string images = _temp.Write("images", IdxBytes.Build(0x00000803, [3, 2, 2], [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]));
        string labels = _temp.Write("labels.gz", IdxBytes.Gzip(IdxBytes.Labels(9, 0, 5)));

        LabeledImages data = TestImages.Load(DataFormat.IdxFiles, images, labels, [1, 2, 2]);

        Assert.Equal(3, data.Count);
        Assert.Equal(new ImageShape(1, 2, 2), data.Shape);
        Assert.Equal(new[] { 9, 0, 5 }, data.Labels);
        Assert.Equal(12, data.Bytes().Length);
    }

    [Fact]
    public void Label_count_different_from_image_count_is_rejected()
    {
        string images = _temp.Write("t10k-images", IdxBytes.Images(3, 28, 28));
        string labels = _temp.Write("t10k-labels", IdxBytes.Labels(1, 2));

        IdxReaderTests.AssertRejected(labels, $"2 labels, but {images} has 3 images", () => TestImages.Load(DataFormat.IdxFiles, images, labels, [1, 28, 28]));
    }

    [Fact]
    public void Label_outside_the_models_classes_is_rejected_with_its_index()
    {
        string images = _temp.Write("images", IdxBytes.Images(4, 28, 28));
        string labels = _temp.Write("labels", IdxBytes.Labels(3, 9, 10, 200));

        IdxReaderTests.AssertRejected(labels, "label 10 at index 2 is outside the model's 10 classes (0-9)", () => TestImages.Load(DataFormat.IdxFiles, images, labels, [1, 28, 28]));
    }

    [Fact]
    public void Errors_in_the_images_file_name_the_images_file()
    {
        string images = _temp.Write("images", IdxBytes.Labels(1));
        string labels = _temp.Write("labels", IdxBytes.Labels(1));

        IdxReaderTests.AssertRejected(images, "expected magic 0x00000803", () => TestImages.Load(DataFormat.IdxFiles, images, labels, [1, 28, 28]));
    }

    [Fact]
    public void Samples_of_another_size_than_the_model_takes_are_rejected_naming_both()
    {
        string images = _temp.Write("images", IdxBytes.Images(2, 32, 32));
        string labels = _temp.Write("labels", IdxBytes.Labels(1, 2));

        IdxReaderTests.AssertRejected(images, "samples are 1x32x32, the model takes 1x28x28", () => TestImages.Load(DataFormat.IdxFiles, images, labels, [1, 28, 28]));
    }

    [Fact]
    public void Inputs_concatenates_the_selected_samples_scaled_to_unit_range()
    {
        var data = TestImages.Of(1, 1, 2, [0, 255, 51, 102, 1, 254], [0, 1, 2]);

        float[] batch = data.Inputs([2, 0, 2]);

        Assert.Equal(new[] { 1 / 255f, 254 / 255f, 0f, 1f, 1 / 255f, 254 / 255f }, batch);
    }

    [Fact]
    public void Inputs_normalize_each_channel_with_its_own_mean_and_std_after_scaling()
    {
        // Two samples of 2 channels x 1 x 2.
        var data = TestImages.Of(2, 1, 2, [0, 255, 51, 102, 255, 0, 0, 0], [0, 1], new Normalization([0.5f, 0.2f], [0.25f, 0.1f]));

        float[] batch = data.Inputs([0, 1]);

        float[] expected = [(0f - 0.5f) / 0.25f, (1f - 0.5f) / 0.25f, ((51 / 255f) - 0.2f) / 0.1f, ((102 / 255f) - 0.2f) / 0.1f,
            (1f - 0.5f) / 0.25f, (0f - 0.5f) / 0.25f, (0f - 0.2f) / 0.1f, (0f - 0.2f) / 0.1f];
        Assert.Equal(expected, batch);
    }

    [Fact]
    public void Float_samples_are_taken_as_they_are()
    {
        var data = new LabeledImages(new ImageShape(1, 1, 2), new FloatValues([-3.5f, 7f, 0.25f, 2f]), [1, 0], Normalization.None);

        Assert.Equal(new[] { 0.25f, 2f, -3.5f, 7f }, data.Inputs([1, 0]));
    }

    [Fact]
    public void A_view_shares_the_values_and_reads_the_selected_samples()
    {
        var data = TestImages.Of(1, 1, 1, [10, 20, 30, 40], [0, 1, 2, 3]);

        var view = data.View([3, 1]);
        var viewOfView = view.View([1]);

        Assert.Same(data.Values, view.Values);
        Assert.Equal(new[] { 3, 1 }, view.Labels);
        Assert.Equal(new[] { 40 / 255f, 20 / 255f }, view.Inputs([0, 1]));
        Assert.Equal(new[] { 20 / 255f }, viewOfView.Inputs([0]));
    }

    [Fact]
    public void Inputs_of_no_indices_is_empty()
    {
        var data = TestImages.Of(1, 28, 28, new byte[784], [4]);

        Assert.Empty(data.Inputs([]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void Inputs_rejects_an_index_outside_the_dataset(int index)
    {
        var data = TestImages.Of(1, 1, 1, [1, 2, 3], [0, 1, 2]);

        Assert.Throws<ArgumentOutOfRangeException>(() => data.Inputs([0, index]));
    }

    [Fact]
    public void Constructor_rejects_values_that_do_not_fit_the_labels()
    {
        Assert.Throws<ArgumentException>(() => TestImages.Of(1, 28, 28, new byte[783], [0]));
    }
}
