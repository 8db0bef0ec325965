using System.Globalization;

namespace QuantCluster.Node;

/// <summary>A host and port as given on the command line ("127.0.0.1:4053"); port 0 lets the system pick one.</summary>
public readonly record struct NodeAddress(string Host, int Port)
{
    public static NodeAddress Parse(string text, string option)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            throw new ArgumentException($"{option}: '{text}' is not host:port (for example 127.0.0.1:4053)");
        return new NodeAddress(text[..colon], port);
    }

    public override string ToString() => $"{Host}:{Port}";
}
