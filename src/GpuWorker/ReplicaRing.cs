using QuantCluster.Collectives;

namespace QuantCluster.GpuWorker;

/// <summary>A replica's membership of its process's <see cref="RingSession"/>: what a worker actor holds between OpenRing and the end of the phase.</summary>
public sealed class ReplicaRing : IAsyncDisposable
{
    private readonly RingSession _session;
    private readonly int _local;
    private IAllReduce? _allReduce;
    private bool _left;

    internal ReplicaRing(RingSession session, int local)
    {
        _session = session;
        _local = local;
    }

    /// <summary>Where the process listens for its ring predecessor (0 when the ring has this process alone).</summary>
    public int Port => _session.Port;

    /// <summary>Connects the process into the ring (once for all its replicas) and returns this replica's all-reduce.</summary>
    public async Task<IAllReduce> ConnectAsync(string nextHost, int nextPort) => _allReduce = await _session.ConnectAsync(nextHost, nextPort, _local);

    /// <summary>Leaves the replica group, which fails siblings waiting for this replica's share, then the session.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_left) return;
        _left = true;
        if (_allReduce is not null) await _allReduce.DisposeAsync();
        await _session.LeaveAsync();
    }
}
