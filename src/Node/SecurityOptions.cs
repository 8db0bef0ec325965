using System.CommandLine;

namespace QuantCluster.Node;

/// <summary>Who may join: the cluster secret members prove at registration, and the certificate remoting runs TLS with. Both optional; both off means an open cluster.</summary>
public sealed record SecurityOptions(ClusterSecret? Secret, ClusterTls? Tls)
{
    public static readonly SecurityOptions Open = new(null, null);
}

/// <summary>The command-line options behind <see cref="SecurityOptions"/>, the same in every cluster program.</summary>
public sealed class SecurityCommandLine
{
    public Option<string?> SecretFile { get; } = new("--secret-file")
    {
        Description = "File holding the cluster secret every node must share (QUANTCLUSTER_SECRET_FILE, or the secret itself in QUANTCLUSTER_SECRET)",
    };

    public Option<string?> TlsCertificate { get; } = new("--tls-certificate")
    {
        Description = "PKCS#12 (.pfx) certificate with key that every node presents and pins: remoting over mutual TLS (QUANTCLUSTER_TLS_CERTIFICATE; password in QUANTCLUSTER_TLS_PASSWORD)",
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(SecretFile);
        root.Options.Add(TlsCertificate);
    }

    /// <exception cref="ArgumentException">The secret or certificate cannot be loaded; the message names the option.</exception>
    public SecurityOptions Read(ParseResult parsed)
    {
        var secret = ClusterSecret.Load(OptionOrEnvironment.Get(parsed.GetValue(SecretFile), "QUANTCLUSTER_SECRET_FILE"), Environment.GetEnvironmentVariable("QUANTCLUSTER_SECRET"));
        var certificate = OptionOrEnvironment.Get(parsed.GetValue(TlsCertificate), "QUANTCLUSTER_TLS_CERTIFICATE");
        return new SecurityOptions(secret, certificate is null ? null : ClusterTls.Load(certificate, Environment.GetEnvironmentVariable("QUANTCLUSTER_TLS_PASSWORD")));
    }
}
