using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;

namespace QuantCluster.Quantization;

/// <summary>Fixes how many threads torch's CPU kernels use, on every thread of the process, so a step's bits do not depend on which thread ran it.</summary>
/// <remarks>
/// <c>torch.set_num_threads</c> alone is not enough: OpenMP and MKL keep a thread count per thread, and a thread-pool
/// thread that ran a kernel before the call, or that MKL never saw, keeps the default (one per core). Replicas run on
/// whichever pool thread an await resumes on, so the same plan trained to different bits from run to run (measured on
/// examples/mlp.yaml: six runs, four different epoch-1 parameter hashes, FP32 97.65-97.75%). libgomp and MKL read
/// OMP_NUM_THREADS and MKL_NUM_THREADS once, when libtorch loads, and apply them to every thread; so this must run
/// before the process's first torch call.
/// </remarks>
public static partial class TorchThreads
{
    public static void Fix(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var value = threads.ToString(CultureInfo.InvariantCulture);
        foreach (var name in new[] { "OMP_NUM_THREADS", "MKL_NUM_THREADS" })
        {
            // .NET keeps its own copy of the environment on Unix; native libraries read the C library's.
            if (OperatingSystem.IsWindows()) Environment.SetEnvironmentVariable(name, value);
            else if (SetEnv(name, value, overwrite: 1) != 0) throw new InvalidOperationException($"setenv {name}={value} failed");
        }
        torch.set_num_threads(threads);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
