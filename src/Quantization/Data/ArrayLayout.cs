namespace QuantCluster.Quantization.Data;

/// <summary>Where the channel axis of a rank-4 images array is: after the sample axis (PyTorch's order) or last (TensorFlow's).</summary>
public enum ArrayLayout
{
    Nchw,
    Nhwc,
}
