using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Remote.Hosting;
using Akka.Remote.Transport.DotNetty;

namespace QuantCluster.Node;

/// <summary>
/// Akka.Remote over TLS with the cluster's certificate: every node presents it and accepts only a peer that presents the
/// same one (mutual TLS, pinned by thumbprint), so no process without the certificate's private key can connect at all.
/// </summary>
/// <remarks>
/// Pinning rather than chain validation: a cluster's certificate is usually made for it (self-signed, or from a private
/// CA nobody installed in the system store), and one pinned certificate is what a Kubernetes Secret mounts on every pod.
/// </remarks>
public sealed class ClusterTls
{
    private ClusterTls(X509Certificate2 certificate) => Certificate = certificate;

    public X509Certificate2 Certificate { get; }

    /// <summary>Loads a PKCS#12 (.pfx) file holding the certificate and its private key.</summary>
    /// <exception cref="ArgumentException">The file is missing, not PKCS#12, the password is wrong, or there is no private key.</exception>
    public static ClusterTls Load(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--tls-certificate: cannot load {path} as a PKCS#12 certificate with its key (QUANTCLUSTER_TLS_PASSWORD gives its password): {e.Message}");
        }
        if (!certificate.HasPrivateKey) throw new ArgumentException($"--tls-certificate: {path} holds no private key; a node must present the certificate's key");
        return new ClusterTls(certificate);
    }

    public SslOptions Options() => new()
    {
        X509Certificate = Certificate,
        SuppressValidation = false,
        RequireMutualAuthentication = true,
        ValidateCertificateHostname = false,
        CustomValidator = CertificateValidation.PinnedCertificate(Certificate.Thumbprint),
    };
}
