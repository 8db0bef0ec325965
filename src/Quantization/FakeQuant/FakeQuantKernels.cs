using QuantCluster.Quantization.Schemes;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.FakeQuant;

/// <summary>
/// libtorch's own fake-quantize operators, reached through TorchScript because TorchSharp marks its wrappers not implemented.
/// They compute x_out = (clamp(round(x / s) + z, qmin, qmax) - z) * s with round half to even, and their backward is the
/// straight-through estimator: gradient 1 where round(x / s) + z lies in [qmin, qmax], 0 outside (Bengio et al. 2013).
/// </summary>
/// <remarks>
/// Only tensors cross into the script: TorchSharp turns number arguments of invoke into Scalars that nothing keeps alive
/// through the native call, which the GC freed mid-call under load. The integer ranges are therefore literals, one function
/// per range, and scales and zero points travel as tensors (libtorch's tensor_qparams overloads).
/// </remarks>
public sealed class FakeQuantKernels : IDisposable
{
    private const string Script = @"
def per_tensor_uint8(x: Tensor, scale: Tensor, zero_point: Tensor):
    return torch.fake_quantize_per_tensor_affine(x, scale, zero_point, 0, 255)

def per_tensor_int8(x: Tensor, scale: Tensor, zero_point: Tensor):
    return torch.fake_quantize_per_tensor_affine(x, scale, zero_point, -127, 127)

def per_channel_int8(x: Tensor, scale: Tensor, zero_point: Tensor):
    return torch.fake_quantize_per_channel_affine(x, scale, zero_point, 0, -127, 127)
";

    private readonly jit.CompilationUnit _unit = jit.compile(Script);

    /// <summary>Fake-quantizes with one scale and zero point; the range must be [0, 255] or [-127, 127].</summary>
    public Tensor PerTensor(Tensor x, QuantParams p)
    {
        string function = (p.QMin, p.QMax) switch
        {
            (0, 255) => "per_tensor_uint8",
            (-QuantParamsCalculator.WeightQMax, QuantParamsCalculator.WeightQMax) => "per_tensor_int8",
            _ => throw new ArgumentException($"no fake-quantize kernel for the range [{p.QMin}, {p.QMax}]", nameof(p)),
        };
        using var scale = tensor(new[] { p.Scale }, device: x.device);
        using var zeroPoint = tensor(new[] { p.ZeroPoint }, device: x.device);
        return (Tensor)_unit.invoke(function, x, scale, zeroPoint);
    }

    /// <summary>Symmetric int8 [-127, 127] along axis 0, with one float32 scale per slice (zero points 0).</summary>
    public Tensor PerChannelSymmetric(Tensor x, Tensor scale)
    {
        using var zeroPoints = zeros(scale.shape[0], dtype: ScalarType.Int32, device: x.device);
        return (Tensor)_unit.invoke("per_channel_int8", x, scale, zeroPoints);
    }

    public void Dispose() => _unit.Dispose();
}
