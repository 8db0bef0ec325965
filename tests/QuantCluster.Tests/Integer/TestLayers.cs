using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Tests.Integer;

/// <summary>Builds random integer layers calibrated on given inputs the way a converter would: real range to scale and zero point, scales to requantizers.</summary>
internal static class TestLayers
{
    public static readonly QuantParams ImageInput = new(1f / 200, 30, 0, 255);

    public static float[] RandomImages(Random rng, int count, int size)
    {
        var x = new float[count * size];
        for (int i = 0; i < x.Length; i++)
            x[i] = rng.NextSingle();
        return x;
    }

    /// <summary>
    /// A conv with random int8 weights and int32 biases whose weight scales are set so the real outputs on
    /// <paramref name="samples"/> reach +-<paramref name="realRange"/>, and whose output quantization covers what it sees.
    /// </summary>
    public static Int8Conv2d Conv(
        Random rng, QuantParams input, int[][] samples, int height, int width,
        int inChannels, int outChannels, int kernel, int stride, int padding, int groups,
        FusedActivation activation = FusedActivation.None, bool signedOutput = false, double realRange = 12)
    {
        int weightCount = outChannels * (inChannels / groups) * kernel * kernel;
        var draft = new Int8Conv2d(inChannels, outChannels, kernel, stride, padding, groups,
            RandomWeights(rng, weightCount), RandomBias(rng, outChannels), RandomScales(rng, outChannels),
            new Requantizer[outChannels], input, input, activation, 0, 0);
        double[] real = [.. samples.SelectMany(q => FloatReference.ConvReal(draft, q, height, width, out _, out _))];
        var (scales, output, requantizers, clamp) = Finish(draft, real, realRange, signedOutput, activation);
        return draft with { WeightScales = scales, Output = output, Requantizers = requantizers, ClampMin = clamp.Min, ClampMax = clamp.Max };
    }

    public static Int8Linear Linear(
        Random rng, QuantParams input, int[][] samples, int inFeatures, int outFeatures,
        FusedActivation activation = FusedActivation.None, bool signedOutput = false, double realRange = 12)
    {
        var draft = new Int8Linear(inFeatures, outFeatures,
            RandomWeights(rng, inFeatures * outFeatures), RandomBias(rng, outFeatures), RandomScales(rng, outFeatures),
            new Requantizer[outFeatures], input, input, activation, 0, 0);
        double[] real = [.. samples.SelectMany(q => FloatReference.LinearReal(draft, q))];
        var (scales, output, requantizers, clamp) = Finish(draft, real, realRange, signedOutput, activation);
        return draft with { WeightScales = scales, Output = output, Requantizers = requantizers, ClampMin = clamp.Min, ClampMax = clamp.Max };
    }

    /// <summary>An FP32 fallback convolution with random float weights and biases, its output quantization covering what it produces on <paramref name="samples"/>.</summary>
    public static Fp32Conv2d Fp32Conv(
        Random rng, QuantParams input, int[][] samples, int height, int width,
        int inChannels, int outChannels, int kernel, int stride, int padding, int groups,
        FusedActivation activation = FusedActivation.None, bool signedOutput = false)
    {
        var draft = new Fp32Conv2d(inChannels, outChannels, kernel, stride, padding, groups,
            RandomFloats(rng, outChannels * (inChannels / groups) * kernel * kernel, 0.5), RandomFloats(rng, outChannels, 1), input, input, activation);
        double[] real = [.. samples.SelectMany(q => FloatReference.Fp32ConvReal(draft, q, height, width))];
        return draft with { Output = Calibrate(real.Min(), real.Max(), signedOutput) };
    }

    public static Fp32Linear Fp32Linear(
        Random rng, QuantParams input, int[][] samples, int inFeatures, int outFeatures,
        FusedActivation activation = FusedActivation.None, bool signedOutput = false)
    {
        var draft = new Fp32Linear(inFeatures, outFeatures, RandomFloats(rng, inFeatures * outFeatures, 0.2), RandomFloats(rng, outFeatures, 1), input, input, activation);
        double[] real = [.. samples.SelectMany(q => FloatReference.Fp32LinearReal(draft, q))];
        return draft with { Output = Calibrate(real.Min(), real.Max(), signedOutput) };
    }

    public static QuantParams Calibrate(double min, double max, bool int8)
    {
        // The range must contain 0 so that real 0 (padding, ReLU) is exactly representable.
        min = Math.Min(min, 0);
        max = Math.Max(max, 0);
        int qmin = int8 ? -128 : 0, qmax = int8 ? 127 : 255;
        float scale = (float)Math.Max((max - min) / (qmax - qmin), 1e-6);
        int zeroPoint = Math.Clamp((int)Math.Round(qmin - (min / scale)), qmin, qmax);
        return new QuantParams(scale, zeroPoint, qmin, qmax);
    }

    private static (float[] Scales, QuantParams Output, Requantizer[] Requantizers, (int Min, int Max) Clamp) Finish(
        Int8Layer layer, double[] real, double realRange, bool signedOutput, FusedActivation activation)
    {
        (float[] scales, QuantParams input) = layer switch
        {
            Int8Conv2d c => (c.WeightScales, c.Input),
            Int8Linear l => (l.WeightScales, l.Input),
            _ => throw new ArgumentException("not a weighted layer", nameof(layer)),
        };

        // Real outputs are linear in the weight scales (the bias is stored at input scale * weight scale), so one factor rescales them.
        double maxAbs = real.Max(Math.Abs);
        double factor = realRange / maxAbs;
        float[] scaled = Array.ConvertAll(scales, s => (float)(s * factor));
        QuantParams output = Calibrate(real.Min() * factor, real.Max() * factor, signedOutput);
        Requantizer[] requantizers = Array.ConvertAll(scaled, s => FixedPointMultiplier.FromReal((double)input.Scale * s / output.Scale));
        return (scaled, output, requantizers, ActivationClamp.For(activation, output));
    }

    private static sbyte[] RandomWeights(Random rng, int count)
    {
        var w = new sbyte[count];
        for (int i = 0; i < count; i++)
            w[i] = (sbyte)rng.Next(-127, 128);
        return w;
    }

    private static int[] RandomBias(Random rng, int count)
    {
        var b = new int[count];
        for (int i = 0; i < count; i++)
            b[i] = rng.Next(-20000, 20000);
        return b;
    }

    private static float[] RandomFloats(Random rng, int count, double amplitude)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++)
            v[i] = (float)(amplitude * ((2 * rng.NextDouble()) - 1));
        return v;
    }

    private static float[] RandomScales(Random rng, int count)
    {
        var s = new float[count];
        for (int i = 0; i < count; i++)
            s[i] = 0.002f + (0.02f * rng.NextSingle());
        return s;
    }
}
