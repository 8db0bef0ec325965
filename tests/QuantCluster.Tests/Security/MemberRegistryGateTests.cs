using Akka.Actor;
using Akka.TestKit.Xunit2;
using QuantCluster.Coordinator.Actors;
using QuantCluster.Messages.Membership;
using QuantCluster.Node;

namespace QuantCluster.Tests.Security;

/// <summary>With a cluster secret, the registry takes only members that prove it for their own address; the others are refused and never listed (so never sent a job).</summary>
public sealed class MemberRegistryGateTests : TestKit
{
    private static readonly ClusterSecret Secret = new("0123456789abcdef-cluster"u8);
    private static readonly ClusterSecret Stranger = new("fedcba9876543210-elsewhere"u8);

    [Fact]
    public void A_member_proving_the_secret_for_its_own_address_is_registered()
    {
        var registry = Sys.ActorOf(MemberRegistryActor.Props(Secret));
        string self = TestActor.Path.Address.ToString();

        registry.Tell(new RegisterMember(ClusterRoles.Worker, self, "cpu:0", Secret.Prove(ClusterRoles.Worker, self, "cpu:0")));

        ExpectMsg<MemberRegistered>();
        Assert.Single(Members(registry).Workers);
    }

    [Theory]
    [InlineData("none", "it has no cluster secret")]
    [InlineData("stranger", "its cluster secret is not this cluster's")]
    [InlineData("other-address", "it announced node akka.tcp://quantcluster@10.0.0.9:4053 but sent from")]
    [InlineData("other-device", "its cluster secret is not this cluster's")]
    public void A_member_without_a_valid_proof_is_refused_and_never_listed(string attempt, string reason)
    {
        var registry = Sys.ActorOf(MemberRegistryActor.Props(Secret));
        string self = TestActor.Path.Address.ToString();
        var registration = attempt switch
        {
            "none" => new RegisterMember(ClusterRoles.Worker, self, "cpu:0", ""),
            "stranger" => new RegisterMember(ClusterRoles.Worker, self, "cpu:0", Stranger.Prove(ClusterRoles.Worker, self, "cpu:0")),
            // A proof copied off the wire, replayed from another node, or for another device.
            "other-address" => new RegisterMember(ClusterRoles.Worker, "akka.tcp://quantcluster@10.0.0.9:4053", "cpu:0",
                Secret.Prove(ClusterRoles.Worker, "akka.tcp://quantcluster@10.0.0.9:4053", "cpu:0")),
            _ => new RegisterMember(ClusterRoles.Worker, self, "cpu:1", Secret.Prove(ClusterRoles.Worker, self, "cpu:0")),
        };

        registry.Tell(registration);

        Assert.Contains(reason, ExpectMsg<MemberRefused>().Reason);
        Assert.Empty(Members(registry).Workers);
    }

    [Fact]
    public void Without_a_secret_the_cluster_stays_open()
    {
        var registry = Sys.ActorOf(MemberRegistryActor.Props(null));

        registry.Tell(new RegisterMember(ClusterRoles.Calibration, "anywhere", "cpu:0", ""));

        ExpectMsg<MemberRegistered>();
        Assert.Single(Members(registry).Calibrators);
    }

    [Fact]
    public void A_secret_shorter_than_sixteen_bytes_is_refused_with_its_source()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "short\n");
            var error = Assert.Throws<ArgumentException>(() => ClusterSecret.Load(file, null));
            Assert.Contains($"--secret-file {file}: the cluster secret has 5 bytes", error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static MemberList Members(IActorRef registry) => registry.Ask<MemberList>(new ListMembers(), TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();
}
