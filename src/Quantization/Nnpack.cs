using System.Runtime.InteropServices;

namespace QuantCluster.Quantization;

/// <summary>Switches libtorch's NNPACK convolutions off for the process, as <c>torch.backends.nnpack.set_flags(False)</c> does in Python.</summary>
/// <remarks>
/// On CPUs NNPACK does not support, libtorch prints "Could not initialize NNPACK! Reason: Unsupported hardware." straight
/// to stderr once per convolution call site (36 lines in one mobilenet-tiny job), and where it does initialise it gives
/// other last bits than oneDNN. With the user flag off libtorch never asks NNPACK (the flag is checked before
/// <c>_nnpack_available</c>), so every machine takes the same oneDNN/ATen convolutions and nobody sees the noise.
/// TorchSharp has no binding for the flag; libtorch_cpu exports <c>at::globalContext()</c> and
/// <c>at::Context::setUserEnabledNNPACK(bool)</c> with C linkage rules of the Itanium C++ ABI (this as first argument).
/// </remarks>
public static partial class Nnpack
{
    private const string TorchCpu = "libtorch_cpu";

    public static void Disable()
    {
        if (!OperatingSystem.IsLinux()) return; // the mangled names below are the Itanium ABI's; MSVC mangles otherwise
        SetUserEnabled(GlobalContext(), enabled: false);
        if (IsEnabled) throw new InvalidOperationException("libtorch kept NNPACK enabled after setUserEnabledNNPACK(false)");
    }

    /// <summary>Whether libtorch may still pick NNPACK for a convolution (the user flag; always false off Linux, where nothing is asked).</summary>
    public static bool IsEnabled => OperatingSystem.IsLinux() && IsUserEnabled(GlobalContext());

    [LibraryImport(TorchCpu, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport(TorchCpu, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static partial void SetUserEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(TorchCpu, EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool IsUserEnabled(IntPtr context);
}
