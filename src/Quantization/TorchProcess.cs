namespace QuantCluster.Quantization;

/// <summary>The process-wide settings every process that runs torch makes once, before its first torch call.</summary>
public static class TorchProcess
{
    /// <summary>Malloc thresholds first (before libtorch allocates), then the thread count (which loads libtorch), then NNPACK off.</summary>
    public static void Prepare(int threads)
    {
        NativeHeap.KeepFreedMemory();
        TorchThreads.Fix(threads);
        Nnpack.Disable();
    }
}
