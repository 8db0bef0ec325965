using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Schemes;

namespace QuantCluster.Tests.Integer;

/// <summary>The meaning of each integer layer, computed on dequantized values in double and requantized: what the integer kernels must reproduce.</summary>
internal static class FloatReference
{
    public static double[] ConvReal(Int8Conv2d l, ReadOnlySpan<int> q, int height, int width, out int outHeight, out int outWidth)
    {
        outHeight = ((height + (2 * l.Padding) - l.Kernel) / l.Stride) + 1;
        outWidth = ((width + (2 * l.Padding) - l.Kernel) / l.Stride) + 1;
        int inPerGroup = l.InChannels / l.Groups, outPerGroup = l.OutChannels / l.Groups;
        var y = new double[l.OutChannels * outHeight * outWidth];
        for (int oc = 0; oc < l.OutChannels; oc++)
        {
            int g = oc / outPerGroup;
            for (int oy = 0; oy < outHeight; oy++)
            {
                for (int ox = 0; ox < outWidth; ox++)
                {
                    double sum = (double)l.Input.Scale * l.WeightScales[oc] * l.Bias[oc];
                    for (int icl = 0; icl < inPerGroup; icl++)
                    {
                        int ic = (g * inPerGroup) + icl;
                        for (int ky = 0; ky < l.Kernel; ky++)
                        {
                            for (int kx = 0; kx < l.Kernel; kx++)
                            {
                                int iy = (oy * l.Stride) + ky - l.Padding, ix = (ox * l.Stride) + kx - l.Padding;
                                if (iy < 0 || iy >= height || ix < 0 || ix >= width)
                                    continue; // Zero padding in the real domain.
                                double x = Dequantize(l.Input, q[(((ic * height) + iy) * width) + ix]);
                                double w = (double)l.WeightScales[oc] * l.Weights[(((((oc * inPerGroup) + icl) * l.Kernel) + ky) * l.Kernel) + kx];
                                sum += x * w;
                            }
                        }
                    }

                    y[(((oc * outHeight) + oy) * outWidth) + ox] = sum;
                }
            }
        }

        return y;
    }

    public static double[] LinearReal(Int8Linear l, ReadOnlySpan<int> q)
    {
        var y = new double[l.OutFeatures];
        for (int o = 0; o < l.OutFeatures; o++)
        {
            double sum = (double)l.Input.Scale * l.WeightScales[o] * l.Bias[o];
            for (int i = 0; i < l.InFeatures; i++)
                sum += Dequantize(l.Input, q[i]) * l.WeightScales[o] * l.Weights[(o * l.InFeatures) + i];
            y[o] = sum;
        }

        return y;
    }

    /// <summary>An FP32 fallback convolution in double, before its activation: the dequantized input times the float weights, plus the bias.</summary>
    public static double[] Fp32ConvReal(Fp32Conv2d l, ReadOnlySpan<int> q, int height, int width)
    {
        int outHeight = ((height + (2 * l.Padding) - l.Kernel) / l.Stride) + 1;
        int outWidth = ((width + (2 * l.Padding) - l.Kernel) / l.Stride) + 1;
        int inPerGroup = l.InChannels / l.Groups, outPerGroup = l.OutChannels / l.Groups;
        var y = new double[l.OutChannels * outHeight * outWidth];
        for (int oc = 0; oc < l.OutChannels; oc++)
        {
            for (int oy = 0; oy < outHeight; oy++)
            {
                for (int ox = 0; ox < outWidth; ox++)
                {
                    double sum = l.Bias[oc];
                    for (int icl = 0; icl < inPerGroup; icl++)
                    {
                        int ic = (oc / outPerGroup * inPerGroup) + icl;
                        for (int ky = 0; ky < l.Kernel; ky++)
                        {
                            for (int kx = 0; kx < l.Kernel; kx++)
                            {
                                int iy = (oy * l.Stride) + ky - l.Padding, ix = (ox * l.Stride) + kx - l.Padding;
                                if (iy >= 0 && iy < height && ix >= 0 && ix < width)
                                    sum += Dequantize(l.Input, q[(((ic * height) + iy) * width) + ix]) * l.Weights[(((((oc * inPerGroup) + icl) * l.Kernel) + ky) * l.Kernel) + kx];
                            }
                        }
                    }

                    y[(((oc * outHeight) + oy) * outWidth) + ox] = sum;
                }
            }
        }

        return y;
    }

    public static double[] Fp32LinearReal(Fp32Linear l, ReadOnlySpan<int> q)
    {
        var y = new double[l.OutFeatures];
        for (int o = 0; o < l.OutFeatures; o++)
        {
            double sum = l.Bias[o];
            for (int i = 0; i < l.InFeatures; i++)
                sum += Dequantize(l.Input, q[i]) * l.Weights[(o * l.InFeatures) + i];
            y[o] = sum;
        }

        return y;
    }

    public static double[] MaxPoolReal(Int8MaxPool2d l, QuantParams p, ReadOnlySpan<int> q, int channels, int height, int width)
    {
        int oh = ((height - l.Kernel) / l.Stride) + 1, ow = ((width - l.Kernel) / l.Stride) + 1;
        var y = new double[channels * oh * ow];
        for (int c = 0; c < channels; c++)
        {
            for (int oy = 0; oy < oh; oy++)
            {
                for (int ox = 0; ox < ow; ox++)
                {
                    double best = double.NegativeInfinity;
                    for (int ky = 0; ky < l.Kernel; ky++)
                    {
                        for (int kx = 0; kx < l.Kernel; kx++)
                            best = Math.Max(best, Dequantize(p, q[(((c * height) + (oy * l.Stride) + ky) * width) + (ox * l.Stride) + kx]));
                    }

                    y[(((c * oh) + oy) * ow) + ox] = best;
                }
            }
        }

        return y;
    }

    public static double[] GlobalAvgPoolReal(QuantParams p, ReadOnlySpan<int> q, int channels, int height, int width)
    {
        var y = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int i = 0; i < height * width; i++)
                sum += Dequantize(p, q[(c * height * width) + i]);
            y[c] = sum / (height * width);
        }

        return y;
    }

    /// <summary>round(real / scale) + zero point, clamped; ties to even, as ONNX QuantizeLinear rounds.</summary>
    public static int[] Requantize(double[] real, QuantParams p, int clampMin, int clampMax) =>
        Array.ConvertAll(real, v => (int)Math.Clamp(Math.Round(v / p.Scale, MidpointRounding.ToEven) + p.ZeroPoint, clampMin, clampMax));

    public static int[] Quantize(QuantParams p, ReadOnlySpan<float> real)
    {
        var q = new int[real.Length];
        for (int i = 0; i < q.Length; i++)
            q[i] = p.Quantize(real[i]);
        return q;
    }

    private static double Dequantize(QuantParams p, int q) => (double)p.Scale * (q - p.ZeroPoint);
}
