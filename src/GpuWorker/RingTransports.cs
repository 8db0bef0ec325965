using QuantCluster.Collectives.Tcp;

namespace QuantCluster.GpuWorker;

/// <summary>The worker's --ring-transport value: which transports its ring links may use.</summary>
internal static class RingTransports
{
    public static RingTransportOptions Parse(string value) => value switch
    {
        "auto" => RingTransportOptions.Default,
        "tcp" => RingTransportOptions.TcpOnly,
        _ => throw new ArgumentException($"--ring-transport (QUANTCLUSTER_RING_TRANSPORT): '{value}' is not one of auto, tcp"),
    };
}
