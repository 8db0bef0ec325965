using System.Runtime.InteropServices;
using System.Security.Cryptography;
using static TorchSharp.torch;

namespace QuantCluster.Quantization.Training;

/// <summary>A digest of a module's parameters and floating-point buffers, to check that replicas are bit-identical.</summary>
public static class ParameterHash
{
    public static string Of(nn.Module module)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in module.state_dict())
        {
            if (!tensor.is_floating_point()) continue;
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            using var values = tensor.detach().cpu().contiguous().to(ScalarType.Float32);
            sha.AppendData(MemoryMarshal.AsBytes(values.data<float>().ToArray().AsSpan()));
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
