namespace QuantCluster.Quantization;

/// <summary>Which libtorch this build references, chosen with the TorchBackend build property (cpu or cuda).</summary>
public static class TorchBuild
{
#if TORCH_CUDA
    public const bool IsCuda = true;
#else
    public const bool IsCuda = false;
#endif

    /// <summary>CUDA devices torch can use; always 0 in a CPU build, so CPU runs never touch the CUDA runtime.</summary>
    public static int CudaDeviceCount() => IsCuda && TorchSharp.torch.cuda.is_available() ? TorchSharp.torch.cuda.device_count() : 0;
}
