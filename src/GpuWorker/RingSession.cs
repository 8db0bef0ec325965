using System.Net;
using QuantCluster.Collectives;
using QuantCluster.Collectives.Hierarchical;
using QuantCluster.Collectives.InProcess;
using QuantCluster.Collectives.Tcp;
using QuantCluster.Messages.Training;
using Serilog;

namespace QuantCluster.GpuWorker;

/// <summary>
/// One process's place in the ring all-reduce of one training phase, shared by the process's replicas: it listens for
/// the previous process, connects to the next one once (whichever replica asks first), and then sums each step's shares
/// in the process before one copy goes around the ring (<see cref="HierarchicalAllReduce"/>). It closes when the last
/// replica that joined it leaves.
/// </summary>
internal sealed class RingSession
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    private readonly Lock _gate = new();
    private readonly TcpRingListener? _listener;
    private readonly RingTransportOptions _transports;
    private readonly RingIdentity _identity;
    private readonly int _localReplicas;
    private readonly int _firstReplica;
    private readonly int _replicas;
    private readonly bool[] _joined;
    private Task<HierarchicalAllReduce>? _connected;
    private int _members;

    private RingSession(TcpRingListener? listener, RingTransportOptions transports, RingIdentity identity, OpenRing m)
    {
        _listener = listener;
        _transports = transports;
        _identity = identity;
        _localReplicas = m.LocalReplicas;
        _firstReplica = m.FirstReplica;
        _replicas = m.Replicas;
        _joined = new bool[m.LocalReplicas];
    }

    public string Ring => _identity.JobId;

    /// <summary>Where the previous process connects; port 0 when the ring has this process alone and needs no network.</summary>
    public int Port => _listener?.LocalEndPoint.Port ?? 0;

    public bool Closed { get; private set; }

    /// <summary>
    /// Where to listen: the address of host (the name other processes reach this one by), or null when the ring has this
    /// process alone and needs no network. A host name waits for DNS, so callers ask before they take a lock.
    /// </summary>
    public static async Task<IPAddress?> ListenAddressAsync(string host, OpenRing m) => m.WorldSize == 1 ? null : await ResolveAsync(host);

    /// <summary>Listens at address (<see cref="ListenAddressAsync"/>) on a port the system picks, unless the ring has one process.</summary>
    public static RingSession Open(IPAddress? address, OpenRing m, RingTransportOptions transports)
    {
        if (HierarchicalAllReduce.LayoutProblem(m.Rank, m.WorldSize, m.LocalReplicas, m.FirstReplica, m.Replicas) is { } problem)
            throw new ArgumentException($"ring {m.Ring}: {problem}");
        var identity = new RingIdentity(m.Ring, m.Rank, m.WorldSize);
        if (m.WorldSize == 1) return new RingSession(null, transports, identity, m);
        ArgumentNullException.ThrowIfNull(address);
        return new RingSession(TcpRingListener.Bind(new IPEndPoint(address, 0)), transports, identity, m);
    }

    /// <summary>Adds replica m.LocalIndex; every replica of the process must describe the same ring and take its own index.</summary>
    public ReplicaRing Join(OpenRing m)
    {
        lock (_gate)
        {
            if (Closed) throw new InvalidOperationException($"ring {Ring} is closed");
            if (m.Ring != Ring || m.Rank != _identity.Rank || m.WorldSize != _identity.WorldSize || m.LocalReplicas != _localReplicas
                || m.FirstReplica != _firstReplica || m.Replicas != _replicas)
                throw new InvalidOperationException(
                    $"ring {m.Ring}: this replica was told process {m.Rank} of {m.WorldSize} with {m.LocalReplicas} local replicas " +
                    $"from {m.FirstReplica} of {m.Replicas}, a sibling process {_identity.Rank} of {_identity.WorldSize} with {_localReplicas} from {_firstReplica} of {_replicas}");
            if (m.LocalIndex < 0 || m.LocalIndex >= _localReplicas || _joined[m.LocalIndex])
                throw new InvalidOperationException($"ring {Ring}: local replica {m.LocalIndex} of {_localReplicas} joined twice or does not exist");
            _joined[m.LocalIndex] = true;
            _members++;
            return new ReplicaRing(this, m.LocalIndex);
        }
    }

    /// <summary>Connects the process into the ring (once, for all its replicas) and returns replica local's all-reduce.</summary>
    public async Task<IAllReduce> ConnectAsync(string nextHost, int nextPort, int local)
    {
        Task<HierarchicalAllReduce> connected;
        lock (_gate)
        {
            if (Closed) throw new InvalidOperationException($"ring {Ring} is closed");
            connected = _connected ??= ConnectOnceAsync(nextHost, nextPort);
        }
        return (await connected).Replicas[local];
    }

    /// <summary>One replica leaves; the last one to leave closes the listener and the ring's sockets.</summary>
    public async ValueTask LeaveAsync()
    {
        Task<HierarchicalAllReduce>? connected;
        lock (_gate)
        {
            if (--_members > 0) return;
            Closed = true;
            connected = _connected;
        }
        if (_listener is not null) await _listener.DisposeAsync();
        if (connected is null) return;
        HierarchicalAllReduce ring;
        try
        {
            ring = await connected;
        }
        catch (Exception e) when (e is RingTransportException or RingHandshakeException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return; // the connect failed and the replica that asked for it reported why; nothing is open
        }
        await ring.DisposeAsync();
    }

    private async Task<HierarchicalAllReduce> ConnectOnceAsync(string nextHost, int nextPort)
    {
        if (_listener is null) return new HierarchicalAllReduce(new RingAllReduce(InProcessRing.Create(1)[0]), _localReplicas, _firstReplica, _replicas);
        var address = await ResolveAsync(nextHost);
        var link = await _listener.ConnectAsync(_identity, new IPEndPoint(address, nextPort), ConnectTimeout, CancellationToken.None, _transports);
        Log.Information("Ring {Ring} process {Rank} of {WorldSize}: {Transport}", Ring, _identity.Rank, _identity.WorldSize, link.Transport);
        return new HierarchicalAllReduce(new RingAllReduce(link), _localReplicas, _firstReplica, _replicas);
    }

    private static async Task<IPAddress> ResolveAsync(string host) =>
        IPAddress.TryParse(host, out var ip) ? ip : (await Dns.GetHostAddressesAsync(host)).First();
}
