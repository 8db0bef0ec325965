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
    public async Task<ReplicaRing> JoinAsync(OpenRing m, string host)
    {
        lock (_gate)
        {
            if (Current(m.Ring) is { } session) return session.Join(m);
        }
        // The first replica to open a ring resolves host outside the lock, so a slow name lookup holds up no other
        // replica; siblings that arrive meanwhile resolve too, and whichever comes back first opens the session.
        var address = await RingSession.ListenAddressAsync(host, m);
        lock (_gate)
        {
            _latest = Current(m.Ring) ?? RingSession.Open(address, m, _transports);
            return _latest.Join(m);
        }
    }

    private RingSession? Current(string ring) => _latest is { Closed: false } session && session.Ring == ring ? session : null;
}
