using System.Globalization;

namespace QuantCluster.GpuWorker;

/// <summary>Parses --devices ("cpu:0,cpu:1", "cuda:0,cuda:1"): one replica per entry, checked against what this build and machine have.</summary>
public static class DeviceList
{
    public static IReadOnlyList<string> Parse(string text, int cudaDevices)
    {
        var devices = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (devices.Length == 0) throw new ArgumentException("--devices: give at least one device, e.g. cpu:0");
        foreach (var device in devices)
        {
            var parts = device.Split(':');
            bool indexed = parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _);
            int index = indexed ? int.Parse(parts[1], CultureInfo.InvariantCulture) : -1;
            if (!indexed || parts[0] is not ("cpu" or "cuda"))
                throw new ArgumentException($"--devices: '{device}' is not cpu:N or cuda:N");
            if (parts[0] == "cuda" && index >= cudaDevices)
                throw new ArgumentException($"--devices: {device} requested but {cudaDevices} CUDA device(s) are usable by this build (CPU builds have none; rebuild with -p:TorchBackend=cuda)");
        }
        if (devices.Distinct().Count() != devices.Length) throw new ArgumentException($"--devices: '{text}' names a device twice");
        return devices;
    }
}
