using System.Globalization;

namespace QuantCluster.Quantization.Training;

/// <summary>A replica's device: its kind and index (cpu:0, cpu:1 tell CPU replicas apart; cuda:N picks a GPU).</summary>
public readonly record struct TrainingDevice(DeviceKind Kind, int Index)
{
    public static readonly TrainingDevice Cpu = new(DeviceKind.Cpu, 0);

    /// <summary>The device torch is given: every CPU replica runs on "cpu", whatever its index.</summary>
    public string TorchName => Kind == DeviceKind.Cuda ? $"cuda:{Index}" : "cpu";

    /// <summary>Whether a replica on this device trains where one on <paramref name="other"/> would (CPU indices only tell replicas apart).</summary>
    public bool SamePlaceAs(TrainingDevice other) => Kind == other.Kind && (Kind == DeviceKind.Cpu || Index == other.Index);

    /// <summary>Reads cpu, cpu:N, cuda or cuda:N, the spellings a resolved plan device and --devices use.</summary>
    public static TrainingDevice Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':');
        var kind = parts[0] switch
        {
            "cpu" => DeviceKind.Cpu,
            "cuda" => DeviceKind.Cuda,
            _ => throw new FormatException($"'{text}' is not cpu, cpu:N, cuda or cuda:N"),
        };
        if (parts.Length == 1) return new TrainingDevice(kind, 0);
        if (parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            return new TrainingDevice(kind, index);
        throw new FormatException($"'{text}' is not cpu, cpu:N, cuda or cuda:N");
    }

    public override string ToString() => $"{(Kind == DeviceKind.Cuda ? "cuda" : "cpu")}:{Index}";
}
