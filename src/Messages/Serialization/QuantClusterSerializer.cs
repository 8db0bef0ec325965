using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace QuantCluster.Messages.Serialization;

/// <summary>Akka serializer for every QuantCluster message: MessagePack bodies, raw float blobs, in a versioned, CRC-checked frame.</summary>
public sealed class QuantClusterSerializer : SerializerWithStringManifest
{
    /// <summary>The serializer id Akka writes beside each payload; it must never change once nodes are deployed.</summary>
    public const int SerializerId = 4701;

    private readonly MessagePackSerializerOptions _options;
    private readonly long _frameBytes;

    /// <summary>Creates the serializer; Akka calls this once per actor system from the <c>akka.actor.serializers</c> entry.</summary>
    public QuantClusterSerializer(ExtendedActorSystem system)
        : base(system)
    {
        // Our formatter first, so every float[] in every record, present or future, goes as one blob.
        var resolver = CompositeResolver.Create(
            new IMessagePackFormatter[] { new RawFloatArrayFormatter() },
            new IFormatterResolver[] { new ExactFieldCountResolver(), new DefinedEnumResolver(), StandardResolver.Instance });
        _options = MessagePackSerializerOptions.Standard
            .WithResolver(resolver)
            .WithSecurity(MessagePackSecurity.UntrustedData);
        _frameBytes = PayloadLimit.FrameBytes(system.Settings.Config);
        MaximumPayloadBytes = PayloadLimit.PayloadBytes(system.Settings.Config);
    }

    /// <summary>The largest payload this serializer produces: the node's frame size less room for Akka's envelope.</summary>
    public long MaximumPayloadBytes { get; }

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <inheritdoc />
    public override string Manifest(object o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return ManifestOf(o.GetType());
    }

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var type = obj.GetType();
        var manifest = ManifestOf(type);
        using var body = new PooledBufferWriter();
        MessagePackSerializer.Serialize(type, body, obj, _options);
        var payload = PayloadFrame.Wrap(body.WrittenSpan);
        if (payload.Length > MaximumPayloadBytes)
        {
            // Akka.Remote would drop the frame with a log line and leave the Ask to time out. Refusing here names the message;
            // wherever serialize-messages is on (the embedded cluster, the tests) the Tell itself throws.
            throw new SerializationException(
                $"{manifest} is {payload.Length:N0} bytes serialized, over the {MaximumPayloadBytes:N0}-byte payload limit " +
                $"(maximum-frame-size {_frameBytes:N0} bytes less {PayloadLimit.EnvelopeBytes:N0} for the envelope): " +
                "send its bulk through the blob store or in slices rather than raising the frame size.");
        }

        return payload;
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(manifest);
        if (!MessageManifests.ByManifest.TryGetValue(manifest, out var type))
        {
            throw new SerializationException(
                $"Unknown manifest '{manifest}': this node has no QuantCluster message of that name (is it running an older build?).");
        }

        var body = PayloadFrame.Unwrap(bytes, manifest);
        var reader = new MessagePackReader(body);
        object? message;
        try
        {
            message = MessagePackSerializer.Deserialize(type, ref reader, _options);
        }
        catch (MessagePackSerializationException e)
        {
            // MessagePack wraps the specific problem (wrong field count, bad blob) in a generic "failed to deserialize".
            throw new SerializationException(
                $"{manifest} payload corrupt: body is not a readable {manifest} ({e.GetBaseException().Message}).", e);
        }

        if (message is null)
        {
            throw new SerializationException($"{manifest} payload corrupt: body decodes to nil.");
        }

        if (!reader.End)
        {
            throw new SerializationException(
                $"{manifest} payload corrupt: {reader.Sequence.Length - reader.Consumed} bytes follow the message in the body.");
        }

        return message;
    }

    private static string ManifestOf(Type type) =>
        MessageManifests.ByType.TryGetValue(type, out var manifest)
            ? manifest
            : throw new ArgumentException(
                $"{type.FullName} has no QuantCluster manifest; add it to {nameof(MessageManifests)}.", nameof(type));
}
