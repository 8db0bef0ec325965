using System.Net;
using System.Net.Sockets;

namespace QuantCluster.Node;

/// <summary>Checks a fixed listen address before Akka.Remote binds it: Akka.Hosting reports a failed bind with a page of nested stack traces on the console.</summary>
internal static class ListenAddress
{
    /// <exception cref="ArgumentException">The port is taken, or the host is not an address of this machine.</exception>
    public static void CheckFree(NodeAddress listen, string option)
    {
        if (listen.Port == 0) return;
        try
        {
            var addresses = IPAddress.TryParse(listen.Host, out var ip) ? [ip] : Dns.GetHostAddresses(listen.Host);
            using var probe = new TcpListener(addresses.Length > 0 ? addresses[0] : IPAddress.Any, listen.Port);
            probe.Start();
        }
        catch (SocketException e)
        {
            throw new ArgumentException($"{option} {listen}: cannot listen there: {e.Message}");
        }
    }
}
