using System.Buffers.Binary;
using System.Security.Cryptography;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Tests.Integer;

public sealed class Int8ModelFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("qci8-tests-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Round_trip_keeps_every_field_of_every_layer_kind()
    {
        Int8Model model = EveryLayerKind();
        string path = Path.Combine(folder, "model.qci8");

        Int8ModelFile.Write(path, model);
        Int8Model read = Int8ModelFile.Read(path);

        Assert.Equal(model.Architecture, read.Architecture);
        Assert.Equal(model.InputShape, read.InputShape);
        Assert.Equal(model.Input, read.Input);
        Assert.Equal(model.Layers.Count, read.Layers.Count);
        for (int i = 0; i < model.Layers.Count; i++)
            AssertLayerEqual(model.Layers[i], read.Layers[i]);

        var images = TestLayers.RandomImages(new Random(1), 3, 2 * 10 * 10);
        var executor = new IntegerExecutor();
        Assert.Equal(executor.RunToIntegers(model, images, 3), executor.RunToIntegers(read, images, 3));
    }

    [Fact]
    public void A_flipped_body_byte_fails_the_checksum()
    {
        string path = WriteModel(out byte[] bytes);
        bytes[30] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        AssertRejected(path, "checksum mismatch");
    }

    [Fact]
    public void A_flipped_checksum_byte_fails_the_checksum()
    {
        string path = WriteModel(out byte[] bytes);
        bytes[^1] ^= 0x80;
        File.WriteAllBytes(path, bytes);

        AssertRejected(path, "checksum mismatch");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    [InlineData(10)] // shorter than the header
    [InlineData(2)] // shorter than the magic
    public void A_truncated_file_is_rejected(int keep)
    {
        string path = WriteModel(out byte[] bytes);
        File.WriteAllBytes(path, keep == 1 ? bytes[..^1] : bytes[..keep]);

        AssertRejected(path, "truncated");
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        string path = WriteModel(out byte[] bytes);
        File.WriteAllBytes(path, [.. bytes, 0]);

        AssertRejected(path, "unexpected bytes after the checksum");
    }

    [Fact]
    public void A_wrong_magic_is_rejected()
    {
        string path = WriteModel(out byte[] bytes);
        bytes[0] = (byte)'X';
        File.WriteAllBytes(path, bytes);

        AssertRejected(path, "wrong magic number");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void An_unsupported_version_is_rejected(int version)
    {
        string path = WriteModel(out byte[] bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), version);
        File.WriteAllBytes(path, Rehash(bytes));

        AssertRejected(path, $"unsupported format version {version} (this reader supports 1 to 2)");
    }

    [Fact]
    public void A_version_1_file_of_an_all_int8_model_still_reads()
    {
        Int8Model model = EveryLayerKind() with { Layers = [.. EveryLayerKind().Layers.Where(l => l is not (Fp32Conv2d or Fp32Linear))] };
        string path = Path.Combine(folder, "v1.qci8");
        Int8ModelFile.Write(path, model);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 1);
        File.WriteAllBytes(path, Rehash(bytes));

        Int8Model read = Int8ModelFile.Read(path);

        Assert.Equal(model.Layers.Count, read.Layers.Count);
        for (int i = 0; i < model.Layers.Count; i++)
            AssertLayerEqual(model.Layers[i], read.Layers[i]);
    }

    [Fact]
    public void A_version_1_file_with_an_fp32_layer_is_rejected_naming_the_layer()
    {
        string path = WriteFp32Linear(out byte[] bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 1);
        File.WriteAllBytes(path, Rehash(bytes));

        AssertRejected(path, "layer 0 has layer tag 7 (Fp32Linear), which format version 1 does not have");
    }

    [Fact]
    public void An_fp32_weight_count_that_does_not_match_the_dimensions_is_rejected()
    {
        string path = WriteFp32Linear(out byte[] bytes);
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Fp32InFeaturesOffset)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(Fp32InFeaturesOffset), 5);
        File.WriteAllBytes(path, Rehash(bytes));

        AssertRejected(path, "layer 0 has 12 weights but its dimensions need 15");
    }

    [Fact]
    public void An_fp32_bias_count_that_does_not_match_the_outputs_is_rejected()
    {
        string path = WriteFp32Linear(out byte[] bytes);
        // in, out and the weight count (3 ints), then 12 float weights: the bias count follows.
        int biasCountOffset = Fp32InFeaturesOffset + 12 + (12 * 4);
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(biasCountOffset)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(biasCountOffset), 2);
        File.WriteAllBytes(path, Rehash(bytes));

        AssertRejected(path, "layer 0 has 2 biases for 3 output channels");
    }

    [Fact]
    public void An_fp32_layer_cut_short_is_rejected()
    {
        string path = WriteFp32Linear(out byte[] bytes);
        // Drop the last bias and fix the body length, so only the layer itself is short.
        byte[] shorter = [.. bytes[..^36], .. bytes[^32..]];
        BinaryPrimitives.WriteInt64LittleEndian(shorter.AsSpan(8), shorter.Length - 16 - 32);
        File.WriteAllBytes(path, Rehash(shorter));

        AssertRejected(path, "the body ends in the middle of a field");
    }

    [Fact]
    public void Encode_gives_the_bytes_write_puts_in_the_file()
    {
        WriteModel(out byte[] bytes);

        Assert.Equal(bytes, Int8ModelFile.Encode(EveryLayerKind()));
    }

    [Fact]
    public void An_unknown_layer_tag_is_rejected()
    {
        var model = new Int8Model("ab", [1, 4, 4], TestLayers.ImageInput, [new Int8Flatten()]);
        string path = Path.Combine(folder, "tag.qci8");
        Int8ModelFile.Write(path, model);
        byte[] bytes = File.ReadAllBytes(path);
        // Header 16, name 4 + 2, shape 4 + 3 * 4, input qparams 16, layer count 4: the first tag follows.
        int tagOffset = 16 + 6 + 16 + 16 + 4;
        Assert.Equal(5, bytes[tagOffset]);
        bytes[tagOffset] = 99;
        File.WriteAllBytes(path, Rehash(bytes));

        AssertRejected(path, "layer 0 has unknown layer tag 99");
    }

    [Fact]
    public void A_weight_count_that_does_not_match_the_dimensions_is_rejected()
    {
        var rng = new Random(2);
        var linear = TestLayers.Linear(rng, TestLayers.ImageInput, [new int[4]], 4, 3);
        var model = new Int8Model("ab", [4], TestLayers.ImageInput, [linear]);
        string path = Path.Combine(folder, "size.qci8");
        Int8ModelFile.Write(path, model);
        byte[] bytes = File.ReadAllBytes(path);
        int inFeaturesOffset = 16 + 6 + 8 + 16 + 4 + 1;
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(inFeaturesOffset)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(inFeaturesOffset), 5);
        File.WriteAllBytes(path, Rehash(bytes));

        AssertRejected(path, "layer 0 has 12 weights but its dimensions need 15");
    }

    [Fact]
    public void A_count_larger_than_the_file_is_rejected_without_allocating_it()
    {
        var model = new Int8Model("ab", [1, 4, 4], TestLayers.ImageInput, [new Int8Flatten()]);
        string path = Path.Combine(folder, "count.qci8");
        Int8ModelFile.Write(path, model);
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), int.MaxValue);
        File.WriteAllBytes(path, Rehash(bytes));

        AssertRejected(path, "architecture name length 2147483647 is impossible");
    }

    [Fact]
    public void Write_leaves_no_temporary_file_and_replaces_the_previous_one()
    {
        string path = Path.Combine(folder, "model.qci8");
        Int8ModelFile.Write(path, EveryLayerKind() with { Architecture = "old" });
        Int8ModelFile.Write(path, EveryLayerKind());

        Assert.Equal([path], Directory.GetFileSystemEntries(folder));
        Assert.Equal("every-kind", Int8ModelFile.Read(path).Architecture);
    }

    [Fact]
    public void A_failed_write_over_a_directory_keeps_it_and_cleans_up()
    {
        string target = Path.Combine(folder, "occupied");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "precious");

        Assert.ThrowsAny<IOException>(() => Int8ModelFile.Write(target, EveryLayerKind()));

        Assert.Equal([target], Directory.GetFileSystemEntries(folder));
        Assert.Equal("precious", File.ReadAllText(Path.Combine(target, "keep.txt")));
    }

    [Fact]
    public void A_write_failing_midway_keeps_the_previous_file_and_cleans_up()
    {
        string path = WriteModel(out byte[] before);
        var broken = EveryLayerKind() with { Layers = [new Int8Flatten(), new UnknownLayer()] };

        Assert.Throws<ArgumentException>(() => Int8ModelFile.Write(path, broken));

        Assert.Equal([path], Directory.GetFileSystemEntries(folder));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    private static Int8Model EveryLayerKind()
    {
        var rng = new Random(9);
        var input = TestLayers.ImageInput;
        var conv = TestLayers.Conv(rng, input, [new int[2 * 10 * 10]], 10, 10, 2, 4, 3, 2, 1, 1, FusedActivation.Relu);
        var fp32Conv = TestLayers.Fp32Conv(rng, conv.Output, [new int[4 * 5 * 5]], 5, 5, 4, 4, 3, 1, 1, 2, FusedActivation.Relu);
        var depthwise = TestLayers.Conv(rng, fp32Conv.Output, [new int[4 * 2 * 2]], 2, 2, 4, 4, 3, 1, 1, 4, FusedActivation.Relu6, signedOutput: true);
        var fc = TestLayers.Linear(rng, depthwise.Output, [new int[4]], 4, 3);
        var fp32Fc = TestLayers.Fp32Linear(rng, fc.Output, [new int[3]], 3, 3, signedOutput: true);
        return new Int8Model("every-kind", [2, 10, 10], input,
            [conv, fp32Conv, new Int8MaxPool2d(2, 2), depthwise, new Int8GlobalAvgPool(), new Int8Flatten(), fc, fp32Fc]);
    }

    // Header 16, name 4 + 2, shape 4 + 4, input qparams 16, layer count 4, tag 1.
    private const int Fp32InFeaturesOffset = 16 + 6 + 8 + 16 + 4 + 1;

    private string WriteFp32Linear(out byte[] bytes)
    {
        var linear = TestLayers.Fp32Linear(new Random(2), TestLayers.ImageInput, [[1, 2, 3, 4]], 4, 3);
        string path = Path.Combine(folder, "fp32.qci8");
        Int8ModelFile.Write(path, new Int8Model("ab", [4], TestLayers.ImageInput, [linear]));
        bytes = File.ReadAllBytes(path);
        return path;
    }

    private static void AssertLayerEqual(Int8Layer expected, Int8Layer actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        switch (expected)
        {
            case Int8Conv2d e:
                var a = (Int8Conv2d)actual;
                Assert.Equal((e.InChannels, e.OutChannels, e.Kernel, e.Stride, e.Padding, e.Groups), (a.InChannels, a.OutChannels, a.Kernel, a.Stride, a.Padding, a.Groups));
                AssertChannelDataEqual(
                    (e.Weights, e.Bias, e.WeightScales, e.Requantizers, e.Input, e.Output, e.Activation, e.ClampMin, e.ClampMax),
                    (a.Weights, a.Bias, a.WeightScales, a.Requantizers, a.Input, a.Output, a.Activation, a.ClampMin, a.ClampMax));
                break;
            case Int8Linear e:
                var l = (Int8Linear)actual;
                Assert.Equal((e.InFeatures, e.OutFeatures), (l.InFeatures, l.OutFeatures));
                AssertChannelDataEqual(
                    (e.Weights, e.Bias, e.WeightScales, e.Requantizers, e.Input, e.Output, e.Activation, e.ClampMin, e.ClampMax),
                    (l.Weights, l.Bias, l.WeightScales, l.Requantizers, l.Input, l.Output, l.Activation, l.ClampMin, l.ClampMax));
                break;
            case Fp32Conv2d e:
                var fc = (Fp32Conv2d)actual;
                Assert.Equal((e.InChannels, e.OutChannels, e.Kernel, e.Stride, e.Padding, e.Groups), (fc.InChannels, fc.OutChannels, fc.Kernel, fc.Stride, fc.Padding, fc.Groups));
                Assert.Equal(e.Weights, fc.Weights);
                Assert.Equal(e.Bias, fc.Bias);
                Assert.Equal((e.Input, e.Output, e.Activation), (fc.Input, fc.Output, fc.Activation));
                break;
            case Fp32Linear e:
                var fl = (Fp32Linear)actual;
                Assert.Equal((e.InFeatures, e.OutFeatures), (fl.InFeatures, fl.OutFeatures));
                Assert.Equal(e.Weights, fl.Weights);
                Assert.Equal(e.Bias, fl.Bias);
                Assert.Equal((e.Input, e.Output, e.Activation), (fl.Input, fl.Output, fl.Activation));
                break;
            default:
                // Records without arrays compare by value.
                Assert.Equal(expected, actual);
                break;
        }
    }

    private static void AssertChannelDataEqual(
        (sbyte[] W, int[] B, float[] S, Requantizer[] R, QuantParams I, QuantParams O, FusedActivation A, int Min, int Max) e,
        (sbyte[] W, int[] B, float[] S, Requantizer[] R, QuantParams I, QuantParams O, FusedActivation A, int Min, int Max) a)
    {
        Assert.Equal(e.W, a.W);
        Assert.Equal(e.B, a.B);
        Assert.Equal(e.S, a.S);
        Assert.Equal(e.R, a.R);
        Assert.Equal((e.I, e.O, e.A, e.Min, e.Max), (a.I, a.O, a.A, a.Min, a.Max));
    }

    private string WriteModel(out byte[] bytes)
    {
        string path = Path.Combine(folder, "model.qci8");
        Int8ModelFile.Write(path, EveryLayerKind());
        bytes = File.ReadAllBytes(path);
        return path;
    }

    /// <summary>Recomputes the trailing SHA-256 so a test reaches the check behind the checksum.</summary>
    private static byte[] Rehash(byte[] bytes)
    {
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
        return bytes;
    }

    private static void AssertRejected(string path, string problem)
    {
        var e = Assert.Throws<InvalidDataException>(() => Int8ModelFile.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    private sealed record UnknownLayer : Int8Layer;
}
