namespace QuantCluster.Collectives.Tcp;

/// <summary>Which transports a ring link may use beside TCP.</summary>
/// <param name="SharedMemoryDirectory">Where shared-memory pipes are created (a tmpfs such as /dev/shm); null keeps every frame on TCP.</param>
/// <param name="PipeBytes">Each pipe's buffer, a power of two: a few chunks, so a writer rarely waits, yet small enough to stay in cache.</param>
public sealed record RingTransportOptions(string? SharedMemoryDirectory, int PipeBytes = 1 << 20)
{
    /// <summary>TCP only.</summary>
    public static readonly RingTransportOptions TcpOnly = new((string?)null);

    /// <summary>Shared memory towards neighbours on this host where the system has /dev/shm (Linux), TCP otherwise.</summary>
    public static RingTransportOptions Default { get; } =
        new(OperatingSystem.IsLinux() && Directory.Exists("/dev/shm") ? "/dev/shm" : null);
}
