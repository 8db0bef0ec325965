using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuantCluster.Node;

namespace QuantCluster.Tests.Security;

/// <summary>Remoting over mutual TLS with the cluster's pinned certificate: a node with it joins, a node with another certificate cannot connect.</summary>
public sealed class ClusterTlsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("quantcluster-tls-").FullName;

    [Fact]
    public async Task A_node_with_the_clusters_certificate_joins_and_one_with_another_certificate_cannot()
    {
        var cluster = Certificate("cluster");
        var other = Certificate("other");
        int port = LoopbackPorts.Free();
        var seed = new NodeAddress("127.0.0.1", port);

        using var coordinator = await StartAsync(new NodeSettings(seed, null, [seed], [ClusterRoles.Coordinator], cluster));
        using var member = await StartAsync(new NodeSettings(new NodeAddress("127.0.0.1", 0), null, [seed], [ClusterRoles.Worker], cluster));
        using var stranger = await StartAsync(new NodeSettings(new NodeAddress("127.0.0.1", 0), null, [seed], [ClusterRoles.Worker], other));

        var coordinatorCluster = Akka.Cluster.Cluster.Get(coordinator.Services.GetRequiredService<ActorSystem>());
        Assert.StartsWith("akka.ssl.tcp://", coordinatorCluster.SelfAddress.ToString(), StringComparison.Ordinal);
        await WaitUntilAsync(() => coordinatorCluster.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up) == 2, TimeSpan.FromSeconds(20));
        // The stranger's TLS handshake fails on every attempt; give it several join rounds.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(2, coordinatorCluster.State.Members.Count);
        var strangerCluster = Akka.Cluster.Cluster.Get(stranger.Services.GetRequiredService<ActorSystem>());
        Assert.DoesNotContain(strangerCluster.State.Members, m => m.Status == Akka.Cluster.MemberStatus.Up);

        foreach (var host in new[] { stranger, member, coordinator }) await host.StopAsync();
    }

    [Fact]
    public void A_certificate_file_without_its_key_is_refused_by_name()
    {
        var path = Path.Combine(_folder, "public-only.pfx");
        using var withKey = SelfSigned("public-only");
        using var publicOnly = X509CertificateLoader.LoadCertificate(withKey.Export(X509ContentType.Cert));
        File.WriteAllBytes(path, publicOnly.Export(X509ContentType.Pkcs12, "pw"));

        var error = Assert.Throws<ArgumentException>(() => ClusterTls.Load(path, "pw"));

        Assert.Contains(path, error.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ClusterTls Certificate(string name)
    {
        var path = Path.Combine(_folder, name + ".pfx");
        using var certificate = SelfSigned(name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, "pw"));
        return ClusterTls.Load(path, "pw");
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static async Task<IHost> StartAsync(NodeSettings settings)
    {
        var host = ClusterNode.Build(settings, verifySerialization: false);
        await host.StartAsync();
        return host;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {timeout.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}
