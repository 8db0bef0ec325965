using System.Net;
using System.Net.Sockets;

namespace QuantCluster.Tests;

/// <summary>Ports for servers a test starts on loopback.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port the system just handed out and took back: free unless another process grabs it in between.</summary>
    public static int Free()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
