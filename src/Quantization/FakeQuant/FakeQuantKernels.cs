using TorchSharp;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.FakeQuant;

/// <summary>
/// libtorch's own fake-quantize operators, reached through TorchScript because TorchSharp marks its wrappers not implemented.
/// They compute x_out = (clamp(round(x / s) + z, qmin, qmax) - z) * s with round half to even, and their backward is the
/// straight-through estimator: gradient 1 where round(x / s) + z lies in [qmin, qmax], 0 outside (Bengio et al. 2013).
/// </summary>
public sealed class FakeQuantKernels : IDisposable
{
    private const string Script = @"
def per_tensor(x: Tensor, scale: float, zero_point: int, qmin: int, qmax: int):
    return torch.fake_quantize_per_tensor_affine(x, scale, zero_point, qmin, qmax)

def per_channel(x: Tensor, scale: Tensor, zero_point: Tensor, axis: int, qmin: int, qmax: int):
    return torch.fake_quantize_per_channel_affine(x, scale, zero_point, axis, qmin, qmax)
";

    private readonly jit.CompilationUnit _unit = jit.compile(Script);

    public Tensor PerTensor(Tensor x, float scale, int zeroPoint, int qmin, int qmax) =>
        (Tensor)_unit.invoke("per_tensor", x, (double)scale, (long)zeroPoint, (long)qmin, (long)qmax);

    /// <summary>Scales are float32 and zero points int32, one per slice along axis.</summary>
    public Tensor PerChannel(Tensor x, Tensor scale, Tensor zeroPoint, int axis, int qmin, int qmax) =>
        (Tensor)_unit.invoke("per_channel", x, scale, zeroPoint, (long)axis, (long)qmin, (long)qmax);

    public void Dispose() => _unit.Dispose();
}
