using System.Globalization;

namespace QuantCluster.Coordinator.Plans;

/// <summary>Turns the plan's qat.device wish into the concrete torch device this build and machine can give.</summary>
/// <remarks>Kept apart from the loader: the loader runs where the plan is read, this runs where torch is loaded.</remarks>
public static class DeviceSelection
{
    private const string KeyPath = "qat.device";

    internal const string Allowed = "allowed: cpu, cuda, cuda:N (N = 0, 1, ...), auto";

    public static string Resolve(string device, bool cudaBuildReferenced, int cudaDeviceCount) =>
        Resolve(device, cudaBuildReferenced, cudaDeviceCount, location: null);

    /// <param name="location">Where the plan wrote the device (QatPlan.DeviceLocation), so the error can point at it.</param>
    public static string Resolve(string device, bool cudaBuildReferenced, int cudaDeviceCount, PlanLocation? location)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cudaDeviceCount);
        if (device == "cpu")
        {
            return "cpu";
        }

        if (device == "auto")
        {
            return cudaBuildReferenced && cudaDeviceCount > 0 ? "cuda:0" : "cpu";
        }

        if (!TryParseCuda(device, out var index))
        {
            throw new PlanException(location, KeyPath, $"unknown device '{device}'", Allowed);
        }

        if (!cudaBuildReferenced)
        {
            throw new PlanException(
                location, KeyPath, "cuda requested but this build references the CPU libtorch", "rebuild with -p:TorchBackend=cuda");
        }

        if (cudaDeviceCount == 0)
        {
            throw new PlanException(
                location, KeyPath, $"{device} requested but no CUDA device is visible", "use cpu or auto, or check the driver with nvidia-smi");
        }

        if (index >= cudaDeviceCount)
        {
            throw new PlanException(
                location,
                KeyPath,
                $"{device} requested but only {cudaDeviceCount} CUDA device(s) are visible",
                $"allowed: cuda:0 to cuda:{cudaDeviceCount - 1}, cpu, auto");
        }

        return $"cuda:{index}";
    }

    /// <summary>True for the spellings the loader accepts, whether or not this machine has such a device.</summary>
    public static bool IsValidSyntax(string device) =>
        device is "cpu" or "auto" || TryParseCuda(device, out _);

    private static bool TryParseCuda(string device, out int index)
    {
        index = 0;
        if (device == "cuda")
        {
            return true;
        }

        const string prefix = "cuda:";
        return device.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(device.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
