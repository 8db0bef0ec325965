using QuantCluster.Node;

namespace QuantCluster.Tests.Cluster;

/// <summary>A member whose seed has no coordinator gives up after its join timeout with exit code 1, instead of retrying for ever.</summary>
public sealed class MemberJoinTests
{
    [Fact]
    public async Task A_member_that_cannot_join_its_seed_exits_1_after_the_timeout()
    {
        var nobody = new NodeAddress("127.0.0.1", LoopbackPorts.Free());
        var options = new MemberOptions(nobody, new NodeAddress("127.0.0.1", 0), null, TimeSpan.FromSeconds(2), ObservabilityOptions.Default, SecurityOptions.Open);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        int code = await MemberNode.RunAsync(ClusterRoles.Worker, () => options, () => _ => { }, timeout.Token);

        Assert.Equal(1, code);
        Assert.False(timeout.IsCancellationRequested, "the member did not stop by itself");
    }

    [Fact]
    public async Task A_listen_port_already_taken_is_a_bad_option_not_a_stack_trace()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var options = new MemberOptions(new NodeAddress("127.0.0.1", LoopbackPorts.Free()), new NodeAddress("127.0.0.1", port), null,
            TimeSpan.FromSeconds(2), ObservabilityOptions.Default, SecurityOptions.Open);

        int code = await MemberNode.RunAsync(ClusterRoles.Worker, () => options, () => _ => { }, CancellationToken.None);

        Assert.Equal(2, code);
    }
}
