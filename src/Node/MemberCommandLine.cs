using System.CommandLine;

namespace QuantCluster.Node;

/// <summary>The options every member program (worker, calibration) shares: where to join, where to listen, how to report, who may join.</summary>
public sealed class MemberCommandLine
{
    private readonly Option<string?> _seed = new("--seed") { Description = "The coordinator's host:port (QUANTCLUSTER_SEED)" };
    private readonly Option<string?> _listen = new("--listen") { Description = "host:port this node listens on (QUANTCLUSTER_LISTEN; default 127.0.0.1:0)" };
    private readonly Option<string?> _hostname = new("--public-hostname") { Description = "The name other nodes reach this one by (QUANTCLUSTER_PUBLIC_HOSTNAME)" };
    private readonly Option<int?> _joinTimeout = new("--join-timeout")
    {
        Description = "Seconds to keep trying to join the seed before exiting with an error (QUANTCLUSTER_JOIN_TIMEOUT; default 120)",
    };

    private readonly ObservabilityCommandLine _observability = new();
    private readonly SecurityCommandLine _security = new();

    public void AddTo(RootCommand root)
    {
        root.Options.Add(_seed);
        root.Options.Add(_listen);
        root.Options.Add(_hostname);
        root.Options.Add(_joinTimeout);
        _observability.AddTo(root);
        _security.AddTo(root);
    }

    /// <exception cref="ArgumentException">A value (given or from the environment) is missing or not one the option takes.</exception>
    public MemberOptions Read(ParseResult parsed) => new(
        NodeAddress.Parse(OptionOrEnvironment.Get(parsed.GetValue(_seed), "QUANTCLUSTER_SEED")
            ?? throw new ArgumentException("--seed: the coordinator's host:port is required (or QUANTCLUSTER_SEED)"), "--seed"),
        NodeAddress.Parse(OptionOrEnvironment.Get(parsed.GetValue(_listen), "QUANTCLUSTER_LISTEN") ?? "127.0.0.1:0", "--listen"),
        OptionOrEnvironment.Get(parsed.GetValue(_hostname), "QUANTCLUSTER_PUBLIC_HOSTNAME"),
        TimeSpan.FromSeconds(OptionOrEnvironment.GetInt(parsed.GetValue(_joinTimeout), "--join-timeout", "QUANTCLUSTER_JOIN_TIMEOUT", atLeast: 1) ?? 120),
        _observability.Read(parsed),
        _security.Read(parsed));
}

/// <summary>A member process's validated common options.</summary>
public sealed record MemberOptions(
    NodeAddress Seed, NodeAddress Listen, string? PublicHostname, TimeSpan JoinTimeout, ObservabilityOptions Observability, SecurityOptions Security);
