using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;

namespace QuantCluster.Tests.Data;

/// <summary>Data sets as NumPy arrays: .npy pairs and .npz archives, uint8 or float32, channels first or last, and each way they can be wrong.</summary>
public sealed class NumPyDataTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void An_npz_of_uint8_images_loads_as_bytes_scaled_when_read()
    {
        string npz = _temp.Write("d.npz", NpyBytes.Npz(("images", NpyBytes.Of(new byte[] { 0, 255, 51, 102 }, 2, 1, 2)), ("labels", NpyBytes.Of(new long[] { 3, 1 }, 2))));

        var data = TestImages.Load(DataFormat.Npz, npz, null, [1, 1, 2]);

        Assert.IsType<ByteValues>(data.Values);
        Assert.Equal(new[] { 3, 1 }, data.Labels);
        Assert.Equal(new[] { 0f, 1f, 51 / 255f, 102 / 255f }, data.Inputs([0, 1]));
    }

    [Fact]
    public void Float32_arrays_are_taken_as_they_are_and_normalized_per_channel()
    {
        // One sample of 2 x 1 x 2, channels first.
        string images = _temp.Write("x.npy", NpyBytes.Of(new[] { 1f, 2f, 10f, 20f }, 1, 2, 1, 2));
        string labels = _temp.Write("y.npy", NpyBytes.Of(new[] { 4 }, 1));

        var data = TestImages.Load(DataFormat.NpyFiles, images, labels, [2, 1, 2], normalization: new Normalization([1f, 10f], [2f, 5f]));

        Assert.IsType<FloatValues>(data.Values);
        Assert.Equal(new[] { 0f, 0.5f, 0f, 2f }, data.Inputs([0]));
    }

    [Fact]
    public void Channels_last_arrays_become_channels_first_with_layout_nhwc()
    {
        // One sample, 1 x 2 pixels of RGB: (1, 2, 3) and (4, 5, 6).
        string images = _temp.Write("x.npy", NpyBytes.Of(new byte[] { 1, 2, 3, 4, 5, 6 }, 1, 1, 2, 3));
        string labels = _temp.Write("y.npy", NpyBytes.Of(new byte[] { 0 }, 1));

        var data = TestImages.Load(DataFormat.NpyFiles, images, labels, [3, 1, 2], layout: ArrayLayout.Nhwc);

        Assert.Equal(new byte[] { 1, 4, 2, 5, 3, 6 }, data.Bytes());
    }

    [Fact]
    public void Rank_3_images_are_single_channel()
    {
        string npz = _temp.Write("d.npz", NpyBytes.Npz(("images", NpyBytes.Of(new byte[8], 2, 2, 2)), ("labels", NpyBytes.Of(new byte[] { 0, 1 }, 2))));

        Assert.Equal(new ImageShape(1, 2, 2), TestImages.Load(DataFormat.Npz, npz, null, [1, 2, 2]).Shape);
    }

    [Fact]
    public void Images_of_another_dtype_are_rejected_naming_the_array_and_its_dtype()
    {
        string npz = _temp.Write("d.npz", NpyBytes.Npz(("images", NpyBytes.Of(new double[4], 1, 1, 2, 2)), ("labels", NpyBytes.Of(new byte[] { 0 }, 1))));

        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.Npz, npz, null, [1, 2, 2]));

        Assert.Equal($"{npz}: array 'images': dtype <f8 (float64) is not supported; allowed: uint8, float32, int32, int64", e.Message);
    }

    [Fact]
    public void Images_of_an_integer_dtype_other_than_uint8_are_rejected()
    {
        string images = _temp.Write("x.npy", NpyBytes.Of(new int[4], 1, 2, 2));
        string labels = _temp.Write("y.npy", NpyBytes.Of(new byte[] { 0 }, 1));

        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.NpyFiles, images, labels, [1, 2, 2]));

        Assert.StartsWith($"{images}: images are int32; allowed: uint8", e.Message);
    }

    [Fact]
    public void Images_of_another_rank_are_rejected()
    {
        string images = _temp.Write("x.npy", NpyBytes.Of(new byte[4], 4));
        string labels = _temp.Write("y.npy", NpyBytes.Of(new byte[] { 0, 0, 0, 0 }, 4));

        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.NpyFiles, images, labels, [1, 2, 2]));

        Assert.StartsWith($"{images}: images are 4, rank 1; allowed: N x H x W", e.Message);
    }

    [Fact]
    public void Float_labels_are_rejected()
    {
        string images = _temp.Write("x.npy", NpyBytes.Of(new byte[4], 1, 2, 2));
        string labels = _temp.Write("y.npy", NpyBytes.Of(new[] { 0f }, 1));

        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.NpyFiles, images, labels, [1, 2, 2]));

        Assert.Equal($"{labels}: labels are float32; allowed: integer class indices (uint8, int32, int64)", e.Message);
    }

    [Theory]
    [InlineData("images")]
    [InlineData("labels")]
    public void An_npz_without_one_of_its_arrays_is_rejected_naming_what_it_holds(string missing)
    {
        var arrays = new[] { ("images", NpyBytes.Of(new byte[4], 1, 2, 2)), ("labels", NpyBytes.Of(new byte[] { 0 }, 1)), ("x", NpyBytes.Of(new byte[] { 0 }, 1)) }
            .Where(a => a.Item1 != missing).ToArray();
        string npz = _temp.Write("d.npz", NpyBytes.Npz(arrays));

        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.Npz, npz, null, [1, 2, 2]));

        Assert.StartsWith($"{npz}: has no array '{missing}' (it holds ", e.Message);
        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public void Labels_count_unequal_to_images_count_is_rejected()
    {
        string npz = _temp.Write("d.npz", NpyBytes.Npz(("images", NpyBytes.Of(new byte[12], 3, 2, 2)), ("labels", NpyBytes.Of(new[] { 0, 1 }, 2))));

        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.Npz, npz, null, [1, 2, 2]));

        Assert.Equal($"{npz}: array 'labels': 2 labels, but {npz}: array 'images' has 3 images", e.Message);
    }

    [Fact]
    public void A_label_outside_the_models_classes_is_rejected_with_its_index()
    {
        string npz = _temp.Write("d.npz", NpyBytes.Npz(("images", NpyBytes.Of(new byte[12], 3, 2, 2)), ("labels", NpyBytes.Of(new long[] { 0, 2, -1 }, 3))));

        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.Npz, npz, null, [1, 2, 2], classes: 2));

        Assert.Equal($"{npz}: array 'labels': label 2 at index 1 is outside the model's 2 classes (0-1)", e.Message);
    }

    [Fact]
    public void Samples_the_model_cannot_take_are_rejected()
    {
        string npz = _temp.Write("d.npz", NpyBytes.Npz(("images", NpyBytes.Of(new byte[24], 2, 3, 2, 2)), ("labels", NpyBytes.Of(new byte[] { 0, 1 }, 2))));

        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.Npz, npz, null, [1, 28, 28]));

        Assert.Equal($"{npz}: array 'images': samples are 3x2x2, the model takes 1x28x28 (channels x height x width)", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_npy_is_rejected()
    {
        string images = _temp.Write("x.npy", "not numpy"u8.ToArray());
        string labels = _temp.Write("y.npy", NpyBytes.Of(new byte[] { 0 }, 1));

        var e = Assert.Throws<DataFormatException>(() => TestImages.Load(DataFormat.NpyFiles, images, labels, [1, 2, 2]));

        Assert.StartsWith($"{images}: not a NumPy .npy array", e.Message);
    }

    [Fact]
    public void Fortran_order_and_truncated_arrays_are_rejected()
    {
        string fortran = _temp.Write("f.npy", NpyBytes.Build("|u1", [1, 2, 2], new byte[4], fortranOrder: true));
        string truncated = _temp.Write("t.npy", NpyBytes.Build("|u1", [1, 2, 2], new byte[3]));

        Assert.Contains("Fortran", Assert.Throws<DataFormatException>(() => NpyReader.Read(fortran)).Message);
        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() => NpyReader.Read(truncated)).Message);
    }

    [Fact]
    public void A_header_announcing_more_than_the_file_or_an_array_can_hold_is_refused()
    {
        string lying = _temp.Write("lying.npy", NpyBytes.Build("|u1", [2_000_000_000], new byte[16]));
        string huge = _temp.Write("huge.npy", NpyBytes.Build("<f4", [100_000, 100_000], new byte[16]));

        Assert.Contains("truncated: the header says 2000000000 values", Assert.Throws<DataFormatException>(() => NpyReader.Read(lying)).Message);
        Assert.Contains("over the 2 GiB", Assert.Throws<DataFormatException>(() => NpyReader.Read(huge)).Message);
    }

    [Fact]
    public void The_process_cache_hands_every_actor_the_same_copy()
    {
        string npz = _temp.Write("d.npz", NpyBytes.Npz(("images", NpyBytes.Of(new byte[4], 1, 2, 2)), ("labels", NpyBytes.Of(new byte[] { 0 }, 1))));
        var cache = new DataSetCache();
        // Equal but separate objects, as two messages decode them: the cache must key on the values, not the references.
        DataSetSpec Spec() => new(DataFormat.Npz, npz, null, ArrayLayout.Nchw, new Normalization([0.5f], [0.25f]));

        Assert.Same(cache.Get(Spec(), new ModelSignature([1, 2, 2], 10)), cache.Get(Spec(), new ModelSignature([1, 2, 2], 10)));
    }
}
