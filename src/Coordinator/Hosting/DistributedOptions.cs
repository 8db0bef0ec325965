using QuantCluster.Node;

namespace QuantCluster.Coordinator.Hosting;

/// <summary>How the coordinator runs a job across processes: where it listens (it is the seed), whom it waits for, and whom it lets in.</summary>
public sealed record DistributedOptions(NodeAddress Listen, string? PublicHostname, int Workers, int Calibrators, TimeSpan JoinTimeout, SecurityOptions Security);
