using Onnx;
using QuantCluster.Quantization.Graph;

namespace QuantCluster.Quantization.Onnx.Import.Converters;

/// <summary>Reads the window attributes Conv, MaxPool and AveragePool share (kernel_shape, strides, pads, dilations, ceil_mode, auto_pad).</summary>
internal static class WindowAttributes
{
    public static SlidingWindow Read(NodeProto node, long[]? kernelFromWeight)
    {
        long[] kernel = node.Ints("kernel_shape") ?? kernelFromWeight ?? throw new NodeConversionException("no kernel_shape");
        if (kernel.Length != 2) throw new NodeConversionException($"a {kernel.Length}-D kernel; only 2-D windows over [N, C, H, W] are supported");
        if (kernelFromWeight is not null && !kernel.SequenceEqual(kernelFromWeight))
            throw new NodeConversionException($"kernel_shape [{string.Join(", ", kernel)}] differs from the weight's [{string.Join(", ", kernelFromWeight)}]");
        long[] strides = node.Ints("strides") ?? [1, 1];
        long[] dilations = node.Ints("dilations") ?? [1, 1];
        long[] pads = Pads(node);
        if (strides.Length != 2 || dilations.Length != 2 || pads.Length != 4)
            throw new NodeConversionException("strides, dilations and pads must be given for the two spatial axes");
        if (kernel.Concat(strides).Concat(dilations).Any(v => v < 1) || pads.Any(v => v < 0))
            throw new NodeConversionException($"kernel [{string.Join(", ", kernel)}], strides [{string.Join(", ", strides)}] and dilations [{string.Join(", ", dilations)}] must be at least 1 and pads [{string.Join(", ", pads)}] at least 0");
        // torch pads both sides of an axis alike; torch.onnx.export never writes anything else for these ops.
        if (pads[0] != pads[2] || pads[1] != pads[3])
            throw new NodeConversionException($"asymmetric pads [{string.Join(", ", pads)}]; only equal padding on both sides of an axis is supported");
        return new SlidingWindow(Pair(kernel), Pair(strides), new Size2d(checked((int)pads[0]), checked((int)pads[1])), Pair(dilations), node.Int("ceil_mode", 0) != 0);
    }

    private static long[] Pads(NodeProto node)
    {
        string autoPad = node.String("auto_pad", "NOTSET");
        return autoPad switch
        {
            "NOTSET" => node.Ints("pads") ?? [0, 0, 0, 0],
            "VALID" => [0, 0, 0, 0],
            _ => throw new NodeConversionException($"auto_pad {autoPad}; only NOTSET (explicit pads) and VALID are supported"),
        };
    }

    private static Size2d Pair(long[] values) => new(checked((int)values[0]), checked((int)values[1]));
}
