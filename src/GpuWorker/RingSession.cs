using System.Net;
using QuantCluster.Collectives;
using QuantCluster.Collectives.Tcp;

namespace QuantCluster.GpuWorker;

/// <summary>
/// A replica's place in the ring all-reduce of one training phase: it listens for its predecessor, connects to its
/// successor when told where it is, and then sums each step's shares with the other replicas.
/// </summary>
public sealed class RingSession : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    private readonly TcpRingListener _listener;
    private readonly RingIdentity _identity;
    private RingAllReduce? _allReduce;

    private RingSession(TcpRingListener listener, RingIdentity identity)
    {
        _listener = listener;
        _identity = identity;
    }

    public IPEndPoint Endpoint => _listener.LocalEndPoint;

    public bool Connected => _allReduce is not null;

    /// <summary>Listens on host (the address other nodes reach this one by) at a port the system picks.</summary>
    public static RingSession Open(string host, RingIdentity identity)
    {
        var address = IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host).First();
        return new RingSession(TcpRingListener.Bind(new IPEndPoint(address, 0)), identity);
    }

    public async Task ConnectAsync(string nextHost, int nextPort, CancellationToken cancel)
    {
        var address = IPAddress.TryParse(nextHost, out var ip) ? ip : (await Dns.GetHostAddressesAsync(nextHost, cancel)).First();
        var link = await _listener.ConnectAsync(_identity, new IPEndPoint(address, nextPort), ConnectTimeout, cancel);
        _allReduce = new RingAllReduce(link);
    }

    public ValueTask SumAsync(float[] values, CancellationToken cancel) =>
        (_allReduce ?? throw new InvalidOperationException("the ring is not connected")).SumAsync(values, cancel);

    public async ValueTask DisposeAsync()
    {
        if (_allReduce is not null) await _allReduce.DisposeAsync();
        await _listener.DisposeAsync();
    }
}
