using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Tests.Integer;

/// <summary>Layers left in FP32 by the fallback: int8 in, float arithmetic, int8 out, as DequantizeLinear -> float op -> QuantizeLinear.</summary>
public sealed class Fp32LayerTests
{
    private const int Batch = 4;
    private static readonly QuantParams SignedImageInput = new(1f / 200, -98, -128, 127);
    private readonly IntegerExecutor executor = new();

    [Fact]
    public void An_fp32_linear_dequantizes_multiplies_in_float_and_quantizes_back()
    {
        // Inputs 1 and 2 quantize to 12 and 14 (scale 0.5, zero point 10); 1.5 * 1 - 2 * 2 + 0.25 = -2.25 and
        // 0.5 * 1 + 1 * 2 - 0.125 = 2.375 give -9 and 9.5 output steps of 0.25, so 91 and 110 (9.5 rounds half to even);
        // ReLU takes the first to real 0, the zero point 100.
        var input = new QuantParams(0.5f, 10, 0, 255);
        var output = new QuantParams(0.25f, 100, 0, 255);
        var linear = new Fp32Linear(2, 2, [1.5f, -2f, 0.5f, 1f], [0.25f, -0.125f], input, output, FusedActivation.None);

        Assert.Equal([91, 110], executor.RunToIntegers(new Int8Model("hand", [2], input, [linear]), [1f, 2f], 1));
        Assert.Equal([100, 110], executor.RunToIntegers(
            new Int8Model("hand", [2], input, [linear with { Activation = FusedActivation.Relu }]), [1f, 2f], 1));
    }

    [Theory]
    [InlineData(3, 4, 3, 1, 0, 1, 9, 9, false, FusedActivation.None)] // plain
    [InlineData(3, 5, 3, 2, 1, 1, 10, 11, false, FusedActivation.Relu)] // padding, stride 2, odd width
    [InlineData(6, 6, 3, 2, 1, 6, 9, 7, true, FusedActivation.Relu6)] // depthwise, stride 2, int8 activations
    [InlineData(4, 6, 5, 3, 2, 2, 11, 12, true, FusedActivation.None)] // grouped, stride 3, kernel 5
    [InlineData(2, 3, 1, 1, 0, 1, 5, 5, false, FusedActivation.Relu)] // pointwise
    public void Fp32_conv_matches_the_double_reference(
        int inChannels, int outChannels, int kernel, int stride, int padding, int groups, int height, int width, bool int8Activations, FusedActivation activation)
    {
        var rng = new Random((inChannels * 1000) + (outChannels * 100) + (kernel * 10) + stride);
        QuantParams input = int8Activations ? SignedImageInput : TestLayers.ImageInput;
        int size = inChannels * height * width;
        float[] images = TestLayers.RandomImages(rng, Batch, size);
        int[][] q = Quantized(input, images, size);
        var conv = TestLayers.Fp32Conv(rng, input, q, height, width, inChannels, outChannels, kernel, stride, padding, groups, activation, int8Activations);

        int[] actual = executor.RunToIntegers(new Int8Model("conv", [inChannels, height, width], input, [conv]), images, Batch);

        double[] real = [.. q.SelectMany(s => FloatReference.Fp32ConvReal(conv, s, height, width))];
        AssertQuantizedLike(real, activation, conv.Output, actual);
    }

    [Theory]
    [InlineData(50, 20, false, FusedActivation.Relu)]
    [InlineData(37, 10, true, FusedActivation.None)] // not a multiple of the vector width
    public void Fp32_linear_after_flatten_matches_the_double_reference(int inFeatures, int outFeatures, bool int8Activations, FusedActivation activation)
    {
        var rng = new Random(inFeatures + outFeatures);
        QuantParams input = int8Activations ? SignedImageInput : TestLayers.ImageInput;
        float[] images = TestLayers.RandomImages(rng, Batch, inFeatures);
        int[][] q = Quantized(input, images, inFeatures);
        var linear = TestLayers.Fp32Linear(rng, input, q, inFeatures, outFeatures, activation, int8Activations);

        int[] actual = executor.RunToIntegers(new Int8Model("fc", [1, 1, inFeatures], input, [new Int8Flatten(), linear]), images, Batch);

        double[] real = [.. q.SelectMany(s => FloatReference.Fp32LinearReal(linear, s))];
        AssertQuantizedLike(real, activation, linear.Output, actual);
    }

    [Fact]
    public void Int8_and_fp32_layers_chain_through_their_shared_quantization()
    {
        var rng = new Random(21);
        float[] images = TestLayers.RandomImages(rng, Batch, 2 * 8 * 8);
        int[][] q = Quantized(TestLayers.ImageInput, images, 2 * 8 * 8);
        var conv = TestLayers.Conv(rng, TestLayers.ImageInput, q, 8, 8, 2, 4, 3, 1, 1, 1, FusedActivation.Relu);
        int[][] afterConv = [.. q.Select(s => FloatReference.Requantize(FloatReference.ConvReal(conv, s, 8, 8, out _, out _), conv.Output, conv.ClampMin, conv.ClampMax))];
        var fallback = TestLayers.Fp32Linear(rng, conv.Output, afterConv, 4 * 8 * 8, 10);
        var model = new Int8Model("mixed", [2, 8, 8], TestLayers.ImageInput, [conv, new Int8Flatten(), fallback]);

        int[] actual = executor.RunToIntegers(model, images, Batch);

        double[] real = [.. afterConv.SelectMany(s => FloatReference.Fp32LinearReal(fallback, s))];
        AssertQuantizedLike(real, FusedActivation.None, fallback.Output, actual);
    }

    [Fact]
    public void Validation_names_the_fp32_layer_and_the_mismatch()
    {
        var rng = new Random(5);
        var input = TestLayers.ImageInput;
        var conv = TestLayers.Fp32Conv(rng, input, [new int[2 * 6 * 6]], 6, 6, 2, 4, 3, 1, 0, 1);
        var images = new float[2 * 6 * 6];
        Int8Model With(Int8Layer layer) => new("m", [2, 6, 6], input, [layer]);

        Assert.Contains("Layer 0 (Fp32Conv2d): 5 weights but [4, 2, 3, 3] needs 72",
            Assert.Throws<ArgumentException>(() => executor.Predict(With(conv with { Weights = new float[5] }), images, 1)).Message);
        Assert.Contains("Layer 0 (Fp32Conv2d): 3 biases for 4 output channels",
            Assert.Throws<ArgumentException>(() => executor.Predict(With(conv with { Bias = new float[3] }), images, 1)).Message);
        float[] nan = [.. conv.Weights];
        nan[7] = float.NaN;
        Assert.Contains("Layer 0 (Fp32Conv2d): weight 7 is NaN",
            Assert.Throws<ArgumentException>(() => executor.Predict(With(conv with { Weights = nan }), images, 1)).Message);
        Assert.Contains("Layer 0 (Fp32Conv2d): its Input quantization",
            Assert.Throws<ArgumentException>(() => executor.Predict(With(conv with { Input = input with { ZeroPoint = 1 } }), images, 1)).Message);
        var linear = TestLayers.Fp32Linear(rng, input, [new int[72]], 72, 3);
        Assert.Contains("Layer 0 (Fp32Linear): expects a rank-1 sample",
            Assert.Throws<ArgumentException>(() => executor.Predict(With(linear), images, 1)).Message);
    }

    private static int[][] Quantized(QuantParams input, float[] images, int size) =>
        [.. Enumerable.Range(0, images.Length / size).Select(n => FloatReference.Quantize(input, images.AsSpan(n * size, size)))];

    /// <summary>
    /// Each integer is the activation of the double reference quantized with round half to even. The executor sums in float,
    /// so where the reference lies within float rounding of a tie (1e-4 steps per step of magnitude) either neighbour may come out.
    /// </summary>
    private static void AssertQuantizedLike(double[] real, FusedActivation activation, QuantParams output, int[] actual)
    {
        Assert.Equal(real.Length, actual.Length);
        double upper = activation == FusedActivation.Relu6 ? 6 : double.MaxValue;
        double[] activated = activation == FusedActivation.None ? real : Array.ConvertAll(real, v => Math.Clamp(v, 0, upper));
        int[] expected = FloatReference.Requantize(activated, output, output.QMin, output.QMax);
        Assert.True(expected.Distinct().Count() > 2, "the outputs hardly vary, so the comparison would prove little");
        for (int i = 0; i < real.Length; i++)
        {
            if (expected[i] == actual[i])
                continue;
            double steps = activated[i] / output.Scale;
            bool nearTie = Math.Abs(steps - Math.Floor(steps) - 0.5) <= 1e-4 * Math.Max(1, Math.Abs(steps));
            Assert.True(nearTie && Math.Abs(expected[i] - actual[i]) == 1,
                $"element {i}: real / scale = {steps:R} quantizes to {expected[i]}, the executor gave {actual[i]}");
        }
    }
}
