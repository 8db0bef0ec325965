using System.Reflection;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace QuantCluster.Messages.Serialization;

/// <summary>Resolves message records to MessagePack's generated formatters, but only accepts bodies with every field present.</summary>
/// <remarks>
/// MessagePack fills keys missing from a short array with defaults, so a body of the wrong record (or an older shape)
/// would decode into nulls and zeros. Schema changes go through the frame's version byte instead.
/// </remarks>
internal sealed class ExactFieldCountResolver : IFormatterResolver
{
    public IMessagePackFormatter<T>? GetFormatter<T>() =>
        MessageManifests.ByType.ContainsKey(typeof(T))
            ? new ExactFieldCountFormatter<T>(DynamicObjectResolver.Instance.GetFormatterWithVerify<T>())
            : null;

    private sealed class ExactFieldCountFormatter<T>(IMessagePackFormatter<T> inner) : IMessagePackFormatter<T>
    {
        private readonly int _fieldCount = typeof(T).GetProperties().Count(property => property.IsDefined(typeof(KeyAttribute)));

        public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options) =>
            inner.Serialize(ref writer, value, options);

        public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            if (reader.NextMessagePackType == MessagePackType.Array)
            {
                var peek = reader.CreatePeekReader();
                var count = peek.ReadArrayHeader();
                if (count != _fieldCount)
                {
                    throw new MessagePackSerializationException(
                        $"{typeof(T).Name} has {count} fields on the wire, this build expects {_fieldCount}");
                }
            }

            return inner.Deserialize(ref reader, options);
        }
    }
}
