using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Tests.Integer;

public sealed class IntegerExecutorTests
{
    private const int Batch = 4;
    private static readonly QuantParams SignedImageInput = new(1f / 200, -98, -128, 127);
    private readonly IntegerExecutor executor = new();

    [Theory]
    [InlineData(3, 4, 3, 1, 0, 1, 9, 9, false)] // plain
    [InlineData(3, 5, 3, 2, 1, 1, 10, 11, false)] // padding, stride 2, odd width
    [InlineData(6, 6, 3, 1, 1, 6, 8, 8, false)] // depthwise
    [InlineData(6, 6, 3, 2, 1, 6, 9, 7, true)] // depthwise, stride 2, int8 activations
    [InlineData(4, 6, 5, 3, 2, 2, 11, 12, true)] // grouped, stride 3, kernel 5
    [InlineData(2, 3, 1, 1, 0, 1, 5, 5, false)] // pointwise
    public void Conv_matches_the_float_reference(
        int inChannels, int outChannels, int kernel, int stride, int padding, int groups, int height, int width, bool int8Activations)
    {
        var rng = new Random(inChannels * 1000 + outChannels * 100 + kernel * 10 + stride);
        QuantParams input = int8Activations ? SignedImageInput : TestLayers.ImageInput;
        float[] images = TestLayers.RandomImages(rng, Batch, inChannels * height * width);
        int[][] q = QuantizedSamples(input, images, inChannels * height * width);
        var conv = TestLayers.Conv(rng, input, q, height, width, inChannels, outChannels, kernel, stride, padding, groups, signedOutput: int8Activations);
        var model = new Int8Model("conv", [inChannels, height, width], input, [conv]);

        int[] actual = executor.RunToIntegers(model, images, Batch);

        double[] real = [.. q.SelectMany(s => FloatReference.ConvReal(conv, s, height, width, out _, out _))];
        AssertEqualExceptAtTies(real, conv.Output, conv.ClampMin, conv.ClampMax, actual);
    }

    [Theory]
    [InlineData(16, 14, 14, 1, false, FusedActivation.Relu6)] // mobilenet-tiny's first depthwise layer
    [InlineData(32, 14, 14, 2, false, FusedActivation.Relu6)] // its stride-2 depthwise layer
    [InlineData(8, 9, 7, 2, true, FusedActivation.None)] // odd sizes, int8 activations
    public void Depthwise_conv_equals_the_QDQ_reference_except_at_exact_ties(
        int channels, int height, int width, int stride, bool int8Activations, FusedActivation activation)
    {
        // Many samples and channels: requantization that rounds twice is off by one on a fraction of a percent of elements.
        const int Samples = 16;
        var rng = new Random((channels * 100) + stride);
        QuantParams input = int8Activations ? SignedImageInput : TestLayers.ImageInput;
        float[] images = TestLayers.RandomImages(rng, Samples, channels * height * width);
        int[][] q = QuantizedSamples(input, images, channels * height * width);
        var conv = TestLayers.Conv(rng, input, q, height, width, channels, channels, 3, stride, 1, channels, activation, int8Activations);
        var model = new Int8Model("depthwise", [channels, height, width], input, [conv]);

        int[] actual = executor.RunToIntegers(model, images, Samples);

        double[] real = [.. q.SelectMany(s => FloatReference.ConvReal(conv, s, height, width, out _, out _))];
        AssertEqualExceptAtTies(real, conv.Output, conv.ClampMin, conv.ClampMax, actual);
    }

    [Fact]
    public void Depthwise_channel_on_a_blank_image_requantizes_its_bias_like_QuantizeLinear()
    {
        // Measured on mobilenet-tiny (layer 1, channel 14): on MNIST's blank background the output is the bias alone,
        // 3476 * 0.009061690419912338 = 31.4984 steps. Rounding twice (Q31 high multiply, then a rounding shift by 6)
        // made it 2015.9 / 64 -> 2016 / 64 = 31.5 -> 32 on half of that channel's activations; ONNX Runtime gives 31.
        var input = new QuantParams(6f / 255, 0, 0, 255);
        var output = input;
        float weightScale = 0.00906169f;
        var conv = new Int8Conv2d(1, 1, 3, 1, 1, 1, [4, 28, 31, 45, -28, -61, -127, -3, -64], [3476], [weightScale],
            [FixedPointMultiplier.FromReal((double)input.Scale * weightScale / output.Scale)], input, output, FusedActivation.Relu6,
            0, output.Quantize(6f));
        var model = new Int8Model("blank", [1, 5, 5], input, [conv]);

        Assert.All(executor.RunToIntegers(model, new float[25], 1), v => Assert.Equal(31, v));
    }

    [Fact]
    public void Linear_after_flatten_matches_the_float_reference()
    {
        var rng = new Random(7);
        float[] images = TestLayers.RandomImages(rng, Batch, 50);
        int[][] q = QuantizedSamples(TestLayers.ImageInput, images, 50);
        var linear = TestLayers.Linear(rng, TestLayers.ImageInput, q, 50, 20);
        var model = new Int8Model("fc", [2, 5, 5], TestLayers.ImageInput, [new Int8Flatten(), linear]);

        int[] actual = executor.RunToIntegers(model, images, Batch);

        double[] real = [.. q.SelectMany(s => FloatReference.LinearReal(linear, s))];
        AssertEqualExceptAtTies(real, linear.Output, linear.ClampMin, linear.ClampMax, actual);
    }

    [Theory]
    [InlineData(2, 2, 8, 8)]
    [InlineData(3, 2, 9, 7)]
    [InlineData(3, 1, 5, 6)]
    public void MaxPool_equals_the_float_reference(int kernel, int stride, int height, int width)
    {
        var rng = new Random(kernel + stride);
        var pool = new Int8MaxPool2d(kernel, stride);
        var model = new Int8Model("pool", [3, height, width], SignedImageInput, [pool]);
        float[] images = TestLayers.RandomImages(rng, Batch, 3 * height * width);

        int[] actual = executor.RunToIntegers(model, images, Batch);

        int[] expected = [.. QuantizedSamples(SignedImageInput, images, 3 * height * width).SelectMany(s => FloatReference.Requantize(
            FloatReference.MaxPoolReal(pool, SignedImageInput, s, 3, height, width), SignedImageInput, -128, 127))];
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void GlobalAvgPool_matches_the_float_reference()
    {
        var rng = new Random(3);
        var model = new Int8Model("gap", [5, 6, 7], TestLayers.ImageInput, [new Int8GlobalAvgPool()]);
        float[] images = TestLayers.RandomImages(rng, Batch, 5 * 6 * 7);

        int[] actual = executor.RunToIntegers(model, images, Batch);

        int[] expected = [.. QuantizedSamples(TestLayers.ImageInput, images, 5 * 6 * 7).SelectMany(s => FloatReference.Requantize(
            FloatReference.GlobalAvgPoolReal(TestLayers.ImageInput, s, 5, 6, 7), TestLayers.ImageInput, 0, 255))];
        AssertClose(expected, actual);
    }

    [Theory]
    [InlineData(0, new[] { 1, 2, 3, 4 }, 2)] // 2.5 -> 2
    [InlineData(0, new[] { 2, 3, 4, 5 }, 4)] // 3.5 -> 4
    [InlineData(0, new[] { 1, 1, 1, 2 }, 1)] // 1.25 -> 1
    [InlineData(-128, new[] { -128, -127, -128, -127 }, -128)] // -127.5 -> -128
    [InlineData(-128, new[] { -126, -127, -126, -127 }, -126)] // -126.5 -> -126
    [InlineData(-128, new[] { -126, -126, -126, -127 }, -126)] // -126.25 -> -126
    public void GlobalAvgPool_rounds_half_to_even(int zeroPoint, int[] values, int expected)
    {
        // Scale 1/255 makes each input v = (q - zp) / 255 quantize back to exactly q.
        var input = new QuantParams(1f / 255, zeroPoint, zeroPoint, zeroPoint + 255);
        float[] image = Array.ConvertAll(values, q => (q - zeroPoint) / 255f);
        var model = new Int8Model("gap", [1, 2, 2], input, [new Int8GlobalAvgPool()]);

        Assert.Equal([expected], executor.RunToIntegers(model, image, 1));
    }

    [Theory]
    [InlineData(FusedActivation.Relu)]
    [InlineData(FusedActivation.Relu6)]
    public void Fused_activations_clamp_at_real_zero_and_six(FusedActivation activation)
    {
        var rng = new Random((int)activation);
        float[] images = TestLayers.RandomImages(rng, Batch, 2 * 8 * 8);
        int[][] q = QuantizedSamples(TestLayers.ImageInput, images, 2 * 8 * 8);
        // Real outputs reach +-12, so ReLU6's upper clamp bites.
        var conv = TestLayers.Conv(rng, TestLayers.ImageInput, q, 8, 8, 2, 4, 3, 1, 1, 1, activation);
        var model = new Int8Model("act", [2, 8, 8], TestLayers.ImageInput, [conv]);

        int[] actual = executor.RunToIntegers(model, images, Batch);

        int zero = conv.Output.ZeroPoint;
        int six = conv.Output.Quantize(6f);
        Assert.Equal(zero, conv.ClampMin);
        Assert.Equal(activation == FusedActivation.Relu6 ? six : conv.Output.QMax, conv.ClampMax);
        Assert.Contains(zero, actual);
        Assert.All(actual, v => Assert.InRange(v, conv.ClampMin, conv.ClampMax));
        if (activation == FusedActivation.Relu6)
            Assert.Contains(six, actual);
        double[][] real = [.. q.Select(s => FloatReference.ConvReal(conv, s, 8, 8, out _, out _))];
        double upper = activation == FusedActivation.Relu6 ? 6 : double.MaxValue;
        double[] clamped = [.. real.SelectMany(r => Array.ConvertAll(r, v => Math.Clamp(v, 0, upper)))];
        AssertEqualExceptAtTies(clamped, conv.Output, conv.Output.QMin, conv.Output.QMax, actual);
    }

    [Fact]
    public void A_small_cnn_runs_end_to_end_and_predicts_the_argmax()
    {
        var rng = new Random(11);
        float[] images = TestLayers.RandomImages(rng, Batch, 1 * 12 * 12);
        int[][] q = QuantizedSamples(TestLayers.ImageInput, images, 144);
        var conv = TestLayers.Conv(rng, TestLayers.ImageInput, q, 12, 12, 1, 4, 3, 1, 1, 1, FusedActivation.Relu);
        int[][] afterConv = [.. q.Select(s => FloatReference.Requantize(FloatReference.ConvReal(conv, s, 12, 12, out _, out _), conv.Output, conv.ClampMin, conv.ClampMax))];
        var pool = new Int8MaxPool2d(2, 2);
        int[][] pooled = [.. afterConv.Select(s => FloatReference.Requantize(FloatReference.MaxPoolReal(pool, conv.Output, s, 4, 12, 12), conv.Output, 0, 255))];
        var fc = TestLayers.Linear(rng, conv.Output, pooled, 4 * 6 * 6, 10);
        var model = new Int8Model("cnn", [1, 12, 12], TestLayers.ImageInput, [conv, pool, new Int8Flatten(), fc]);

        int[] logits = executor.RunToIntegers(model, images, Batch);
        int[] classes = executor.Predict(model, images, Batch);
        float[] dequantized = executor.Logits(model, images, Batch);

        for (int n = 0; n < Batch; n++)
        {
            int[] row = logits[(n * 10)..((n + 1) * 10)];
            Assert.Equal(Array.IndexOf(row, row.Max()), classes[n]);
        }

        Assert.Equal(Array.ConvertAll(logits, fc.Output.Dequantize), dequantized);
    }

    [Fact]
    public void Predict_breaks_ties_toward_the_lowest_index()
    {
        // Average pooling of a constant image gives equal integers in every channel.
        var model = new Int8Model("tie", [3, 2, 2], TestLayers.ImageInput, [new Int8GlobalAvgPool(), new Int8Flatten()]);
        Assert.Equal([0], executor.Predict(model, Enumerable.Repeat(0.5f, 12).ToArray(), 1));
    }

    [Fact]
    public void Validation_names_the_layer_and_the_mismatch()
    {
        var rng = new Random(5);
        int[][] q = [new int[2 * 6 * 6]];
        var conv = TestLayers.Conv(rng, TestLayers.ImageInput, q, 6, 6, 2, 4, 3, 1, 0, 1);
        var linear = TestLayers.Linear(rng, conv.Output, [new int[64]], 64, 3);
        float[] images = new float[2 * 6 * 6];

        var wrongChannels = new Int8Model("m", [3, 6, 6], TestLayers.ImageInput, [conv]);
        Assert.Contains("Layer 0 (Int8Conv2d): InChannels 2 but the input has 3", Assert.Throws<ArgumentException>(() => executor.Predict(wrongChannels, new float[108], 1)).Message);

        var noFlatten = new Int8Model("m", [2, 6, 6], TestLayers.ImageInput, [conv, linear]);
        Assert.Contains("Layer 1 (Int8Linear): expects a rank-1 sample but receives [4, 4, 4]", Assert.Throws<ArgumentException>(() => executor.Predict(noFlatten, images, 1)).Message);

        var wrongFeatures = new Int8Model("m", [2, 6, 6], TestLayers.ImageInput, [conv, new Int8MaxPool2d(2, 2), new Int8Flatten(), linear]);
        Assert.Contains("Layer 3 (Int8Linear): InFeatures 64 but the input has 16", Assert.Throws<ArgumentException>(() => executor.Predict(wrongFeatures, images, 1)).Message);

        var shortWeights = new Int8Model("m", [2, 6, 6], TestLayers.ImageInput, [conv with { Weights = new sbyte[5] }]);
        Assert.Contains("Layer 0 (Int8Conv2d): 5 weights but [4, 2, 3, 3] needs 72", Assert.Throws<ArgumentException>(() => executor.Predict(shortWeights, images, 1)).Message);

        var wrongZeroPoint = new Int8Model("m", [2, 6, 6], TestLayers.ImageInput, [conv, new Int8Flatten(), linear with { Input = conv.Output with { ZeroPoint = conv.Output.ZeroPoint + 1 } }]);
        Assert.Contains("Layer 2 (Int8Linear): its Input quantization", Assert.Throws<ArgumentException>(() => executor.Predict(wrongZeroPoint, images, 1)).Message);

        Assert.Throws<ArgumentException>(() => executor.Predict(new Int8Model("m", [2, 6, 6], TestLayers.ImageInput, [conv]), images, 2));
    }

    private static int[][] QuantizedSamples(QuantParams input, float[] images, int size) =>
        [.. Enumerable.Range(0, images.Length / size).Select(n => FloatReference.Quantize(input, images.AsSpan(n * size, size)))];

    /// <summary>
    /// Element by element, what QuantizeLinear makes of the real outputs: round(real / scale) half to even, plus the zero point,
    /// clamped. Only where real / scale is a tie up to the Q31 multiplier's precision (relative 2^-31) may either neighbour come out.
    /// </summary>
    private static void AssertEqualExceptAtTies(double[] real, QuantParams p, int clampMin, int clampMax, int[] actual)
    {
        Assert.Equal(real.Length, actual.Length);
        int[] expected = FloatReference.Requantize(real, p, clampMin, clampMax);
        for (int i = 0; i < real.Length; i++)
        {
            if (expected[i] == actual[i])
                continue;
            double steps = real[i] / p.Scale;
            double fromTie = Math.Abs(steps - Math.Floor(steps) - 0.5);
            bool tie = fromTie <= (Math.Abs(steps) * Math.ScaleB(1, -30)) + 1e-9;
            Assert.True(tie && Math.Abs(expected[i] - actual[i]) == 1,
                $"element {i}: real / scale = {steps:R} requantizes to {expected[i]}, the executor gave {actual[i]}");
        }
    }

    /// <summary>Within 1 LSB everywhere, and exactly equal on nearly all elements.</summary>
    private static void AssertClose(int[] expected, int[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int exact = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1, $"element {i}: expected {expected[i]}, got {actual[i]}");
            if (expected[i] == actual[i])
                exact++;
        }

        Assert.True(exact >= expected.Length * 0.95, $"only {exact} of {expected.Length} elements exactly equal");
    }
}
