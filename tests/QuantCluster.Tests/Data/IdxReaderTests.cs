using QuantCluster.Quantization.Data;

namespace QuantCluster.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_raw_and_gzipped_files_alike(bool gzipped)
    {
        byte[] pixels = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10)).ToArray();
        byte[] contents = IdxBytes.Build(0x00000803, [2, 3, 4], pixels);
        string path = _temp.Write("images", gzipped ? IdxBytes.Gzip(contents) : contents);

        IdxArray read = IdxReader.ReadImages(path);

        Assert.Equal([2, 3, 4], read.Dimensions);
        Assert.Equal(pixels, read.Data);
    }

    [Fact]
    public void Reads_a_file_the_size_of_the_full_60000_image_MNIST_training_set()
    {
        string path = _temp.Write("train-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(60000, 28, 28, fill: 7)));

        IdxArray read = IdxReader.ReadImages(path);

        Assert.Equal([60000, 28, 28], read.Dimensions);
        Assert.Equal(47_040_000, read.Data.Length);
        Assert.Equal(7, read.Data[^1]);
    }

    [Fact]
    public void Labels_magic_where_images_are_expected_is_rejected()
    {
        string path = _temp.Write("train-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Labels(1, 2, 3)));

        AssertRejected(path, "expected magic 0x00000803 (ubyte images, 3 dims), found 0x00000801 (ubyte, 1 dim)", () => IdxReader.ReadImages(path));
    }

    [Fact]
    public void Element_type_other_than_ubyte_is_rejected()
    {
        string path = _temp.Write("float-images", IdxBytes.Build(0x00000D03, [1, 1, 1], new byte[4]));

        AssertRejected(path, "expected magic 0x00000803 (ubyte images, 3 dims), found 0x00000D03 (float, 3 dims)", () => IdxReader.ReadImages(path));
    }

    [Fact]
    public void Wrong_dimension_count_is_rejected()
    {
        string path = _temp.Write("flat-images", IdxBytes.Build(0x00000802, [2, 784], new byte[2 * 784]));

        AssertRejected(path, "expected magic 0x00000803 (ubyte images, 3 dims), found 0x00000802 (ubyte, 2 dims)", () => IdxReader.ReadImages(path));
    }

    [Theory]
    [InlineData(false, "truncated: header says 8000x28x28 = 6272000 bytes of pixels, file has 100 after the 16-byte header")]
    [InlineData(true, "truncated: header says 8000x28x28 = 6272000 bytes of pixels, decompressed file has 100 after the 16-byte header")]
    public void Payload_shorter_than_the_header_says_is_rejected(bool gzipped, string problem)
    {
        byte[] contents = IdxBytes.Build(0x00000803, [8000, 28, 28], new byte[100]);
        string path = _temp.Write("train-images-idx3-ubyte.gz", gzipped ? IdxBytes.Gzip(contents) : contents);

        AssertRejected(path, problem, () => IdxReader.ReadImages(path));
    }

    [Fact]
    public void Header_cut_short_is_rejected()
    {
        string path = _temp.Write("cut-header", IdxBytes.Build(0x00000803, [10], []));

        AssertRejected(path, "truncated: the header of 3 dimensions needs 16 bytes, file has 8", () => IdxReader.ReadImages(path));
    }

    [Fact]
    public void Empty_file_is_rejected()
    {
        string path = _temp.Write("empty", []);

        AssertRejected(path, "truncated: file has 0 bytes, too short for the magic number 0x00000801 (ubyte labels, 1 dim)", () => IdxReader.ReadLabels(path));
    }

    [Theory]
    [InlineData(false, "3 trailing bytes: header says 4 = 4 bytes of labels, file has 7 after the 8-byte header")]
    [InlineData(true, "3 trailing bytes: header says 4 = 4 bytes of labels, decompressed file has 7 after the 8-byte header")]
    public void Bytes_after_the_payload_are_rejected(bool gzipped, string problem)
    {
        byte[] contents = IdxBytes.Build(0x00000801, [4], [1, 2, 3, 4, 5, 6, 7]);
        string path = _temp.Write("labels", gzipped ? IdxBytes.Gzip(contents) : contents);

        AssertRejected(path, problem, () => IdxReader.ReadLabels(path));
    }

    [Fact]
    public void Garbage_that_is_neither_gzip_nor_IDX_is_rejected()
    {
        string path = _temp.Write("notes.txt", "hello, this is not MNIST\n"u8.ToArray());

        AssertRejected(path, "not an IDX file (nor gzip): expected magic 0x00000803 (ubyte images, 3 dims), found 0x68656C6C", () => IdxReader.ReadImages(path));
    }

    [Theory]
    [InlineData(2)] // compression method in the gzip header: only deflate (8) exists
    [InlineData(-8)] // CRC-32 of the content in the trailer
    [InlineData(-2)] // content length in the trailer
    public void Corrupt_gzip_stream_is_rejected(int corruptAt)
    {
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Images(5, 28, 28, fill: 9));
        int at = corruptAt >= 0 ? corruptAt : gzip.Length + corruptAt;
        gzip[at] ^= 0x5A;
        string path = _temp.Write("t10k-images-idx3-ubyte.gz", gzip);

        AssertRejected(path, "corrupt gzip stream", () => IdxReader.ReadImages(path));
    }

    [Fact]
    public void Gzip_stream_cut_off_midway_is_rejected()
    {
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Images(50, 28, 28, fill: 9));
        string path = _temp.Write("t10k-images-idx3-ubyte.gz", gzip[..(gzip.Length / 2)]);

        // .NET's GZipStream ends quietly at a cut; the length check against the header is what catches it.
        AssertRejected(path, "truncated: header says 50x28x28 = 39200 bytes of pixels, decompressed file has", () => IdxReader.ReadImages(path));
    }

    [Fact]
    public void Missing_file_names_its_path()
    {
        string path = Path.Combine(_temp.Path, "absent-images.gz");

        var error = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    internal static void AssertRejected(string path, string problem, Action read)
    {
        var error = Assert.Throws<DataFormatException>(read);
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
