using Akka.Configuration;

namespace QuantCluster.Messages.Serialization;

/// <summary>The largest serialized message that still fits one Akka.Remote frame, with room for the envelope around it.</summary>
/// <remarks>
/// Akka.Remote drops a frame over <c>maximum-frame-size</c> with only a log line, and an Ask then times out. Large payloads
/// travel as blob chunks or gradient slices instead; this limit lets the serializer refuse anything that does not.
/// </remarks>
public static class PayloadLimit
{
    /// <summary>Akka.Remote's own default <c>maximum-frame-size</c>, which applies wherever no configuration sets one.</summary>
    public const int DefaultFrameBytes = 128_000;

    /// <summary>
    /// Frame bytes kept for what Akka.Remote wraps around a payload: recipient and sender paths (a few hundred bytes with
    /// long host names), the manifest, serializer id and sequence numbers.
    /// </summary>
    public const int EnvelopeBytes = 4 * 1024;

    private const string FrameSizePath = "akka.remote.dot-netty.tcp.maximum-frame-size";

    /// <summary>The frame size <paramref name="config"/> sets, or Akka.Remote's default.</summary>
    public static long FrameBytes(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.HasPath(FrameSizePath) ? config.GetByteSize(FrameSizePath, DefaultFrameBytes) ?? DefaultFrameBytes : DefaultFrameBytes;
    }

    /// <summary>The largest payload the serializer may produce under <paramref name="config"/>.</summary>
    public static long PayloadBytes(Config config) => FrameBytes(config) - EnvelopeBytes;
}
