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

    public bool Connected => _allReduce is not null;

    public async Task ConnectAsync(string nextHost, int nextPort) => _allReduce = await _session.ConnectAsync(nextHost, nextPort, _local);

    public ValueTask SumAsync(float[] values, CancellationToken cancel) =>
        (_allReduce ?? throw new InvalidOperationException("the ring is not connected")).SumAsync(values, cancel);

    public ValueTask DisposeAsync()
    {
        if (_left) return ValueTask.CompletedTask;
        _left = true;
        return _session.LeaveAsync();
    }
}
