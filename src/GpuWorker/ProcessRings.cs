using QuantCluster.Collectives.Tcp;
using QuantCluster.Messages.Training;

namespace QuantCluster.GpuWorker;

/// <summary>
/// Where the worker actors of one process (a worker node's devices, or the embedded cluster's replicas) meet to share
/// one place in a ring: the first to open a ring starts the process's <see cref="RingSession"/>, its siblings join it.
/// One instance per process, handed to each of its worker actors.
/// </summary>
/// <param name="transports">What the process's ring links may use beside TCP; <see cref="RingTransportOptions.Default"/> when null.</param>
public sealed class ProcessRings(RingTransportOptions? transports = null)
{
    private readonly Lock _gate = new();
    private readonly RingTransportOptions _transports = transports ?? RingTransportOptions.Default;
    private RingSession? _latest;

    /// <param name="host">The address other processes reach this one's ring listener by.</param>
    public ReplicaRing Join(OpenRing m, string host)
    {
        lock (_gate)
        {
            if (_latest is null || _latest.Ring != m.Ring || _latest.Closed) _latest = RingSession.Open(host, m, _transports);
            return _latest.Join(m);
        }
    }
}
