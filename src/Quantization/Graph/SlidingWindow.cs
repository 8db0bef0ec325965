namespace QuantCluster.Quantization.Graph;

/// <summary>
/// Where a convolution or pooling kernel goes over a feature map: kernel, stride, symmetric zero padding, dilation, and
/// whether a partial last window counts (ceil mode, pooling only).
/// </summary>
public sealed record SlidingWindow(Size2d Kernel, Size2d Stride, Size2d Padding, Size2d Dilation, bool CeilMode = false)
{
    /// <summary>Output height and width for an input of the given size, as torch computes them.</summary>
    /// <exception cref="InvalidGraphException">The window does not fit the input even once.</exception>
    public Size2d OutputSize(int height, int width)
    {
        int outHeight = Extent(height, Kernel.Height, Stride.Height, Padding.Height, Dilation.Height);
        int outWidth = Extent(width, Kernel.Width, Stride.Width, Padding.Width, Dilation.Width);
        if (outHeight <= 0 || outWidth <= 0)
            throw new InvalidGraphException($"a {Kernel} kernel (stride {Stride}, padding {Padding}, dilation {Dilation}) does not fit a {height}x{width} input");
        return new Size2d(outHeight, outWidth);
    }

    public override string ToString() =>
        $"kernel {Kernel}, stride {Stride}, padding {Padding}, dilation {Dilation}{(CeilMode ? ", ceil mode" : "")}";

    // floor or ceil((in + 2p - d(k - 1) - 1) / s) + 1; in ceil mode a last window that would start in the right padding
    // is dropped, the rule torch (pooling_output_shape) and ONNX Runtime share.
    private int Extent(int input, int kernel, int stride, int padding, int dilation)
    {
        int span = input + 2 * padding - dilation * (kernel - 1) - 1;
        if (span < 0) return 0;
        int steps = CeilMode ? (span + stride - 1) / stride : span / stride;
        if (CeilMode && steps * stride >= input + padding) steps--;
        return steps + 1;
    }
}
