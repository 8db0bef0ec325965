using Microsoft.Extensions.Hosting;
using QuantCluster.Coordinator.Jobs;

namespace QuantCluster.Coordinator.Hosting;

/// <summary>A started actor system and the members a job may use; disposing it leaves the cluster and stops the system.</summary>
public sealed class RunningCluster(IHost host, ClusterMembers members) : IAsyncDisposable
{
    public ClusterMembers Members { get; } = members;

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
