using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace QuantCluster.Messages.Serialization;

/// <summary>Reads enums as MessagePack does, but refuses a number the enum does not define.</summary>
/// <remarks>
/// MessagePack turns any integer into an enum, so an optimizer or scheme this build does not know would reach a worker as
/// a value no switch expects. Settings travel as enums so that cannot happen; this makes the receiving side hold to it.
/// </remarks>
internal sealed class DefinedEnumResolver : IFormatterResolver
{
    public IMessagePackFormatter<T>? GetFormatter<T>() =>
        typeof(T).IsEnum ? (IMessagePackFormatter<T>)Activator.CreateInstance(typeof(DefinedEnumFormatter<>).MakeGenericType(typeof(T)))! : null;

    private sealed class DefinedEnumFormatter<T> : IMessagePackFormatter<T>
        where T : struct, Enum
    {
        private readonly IMessagePackFormatter<T> _inner = BuiltinResolver.Instance.GetFormatter<T>() ?? DynamicEnumResolver.Instance.GetFormatterWithVerify<T>();

        public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options) => _inner.Serialize(ref writer, value, options);

        public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            var value = _inner.Deserialize(ref reader, options);
            return Enum.IsDefined(value)
                ? value
                : throw new MessagePackSerializationException($"{typeof(T).Name} has no value {Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }
}
