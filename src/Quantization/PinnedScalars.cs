using TorchSharp;
using static TorchSharp.torch;

namespace QuantCluster.Quantization;

/// <summary>
/// Tensor arithmetic that never hands native code a temporary Scalar. TorchSharp converts numbers (and the default
/// alpha = 1 of add and sub) to Scalars that nothing keeps alive through the native call, so under GC pressure the
/// finalizer can free one mid-call ("Expected false to be true ... toFloat"). These pass a Scalar that lives forever.
/// </summary>
public static class PinnedScalars
{
    private static readonly Scalar One = 1.ToScalar();

    /// <summary>1, alive for the process's life, for callers that add it themselves (a counter).</summary>
    public static Scalar OneValue => One;
    private static readonly Scalar MinusOne = (-1).ToScalar();
    private static readonly Scalar Zero = 0.ToScalar();
    private static readonly Scalar Six = 6.ToScalar();

    public static Tensor Plus(Tensor a, Tensor b) => a.add(b, One);

    // a + (-1) b is bit-identical to a - b; TorchSharp's sub takes no alpha to pin.
    public static Tensor Minus(Tensor a, Tensor b) => a.add(b, MinusOne);

    /// <summary>a + value, with value kept alive by the caller (a using declaration).</summary>
    public static Tensor Plus(Tensor a, Scalar value) => a.add(value, One);

    /// <summary>min(max(x, 0), 6), as ReLU6, without the Scalars TorchSharp's relu6 may create.</summary>
    public static Tensor Relu6(Tensor x) => x.clamp(Zero, Six);

    public static Tensor PlusInPlace(Tensor a, Tensor b) => a.add_(b, One);

    public static Tensor PlusInPlace(Tensor a, Scalar value) => a.add_(value, One);
}
