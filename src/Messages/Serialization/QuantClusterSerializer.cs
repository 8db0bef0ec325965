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

    /// <summary>Creates the serializer; Akka calls this once per actor system from the <c>akka.actor.serializers</c> entry.</summary>
    public QuantClusterSerializer(ExtendedActorSystem system)
        : base(system)
    {
        // Our formatter first, so every float[] in every record, present or future, goes as one blob.
        var resolver = CompositeResolver.Create(
            new IMessagePackFormatter[] { new RawFloatArrayFormatter() },
            new IFormatterResolver[] { new ExactFieldCountResolver(), StandardResolver.Instance });
        _options = MessagePackSerializerOptions.Standard
            .WithResolver(resolver)
            .WithSecurity(MessagePackSecurity.UntrustedData);
    }

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
        _ = ManifestOf(type);
        using var body = new PooledBufferWriter();
        MessagePackSerializer.Serialize(type, body, obj, _options);
        return PayloadFrame.Wrap(body.WrittenSpan);
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
