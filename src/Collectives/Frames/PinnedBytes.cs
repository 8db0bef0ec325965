using System.Buffers;

namespace QuantCluster.Collectives.Frames;

/// <summary>The bytes of a float buffer as a <see cref="Memory{T}"/> of bytes, so sockets read and write gradients without a copy.</summary>
internal sealed unsafe class PinnedBytes : MemoryManager<byte>
{
    private readonly byte* _pointer;
    private readonly int _length;
    private MemoryHandle _pin;

    private PinnedBytes(MemoryHandle pin, int length)
    {
        _pin = pin;
        _pointer = (byte*)pin.Pointer;
        _length = length;
    }

    /// <summary>Pins <paramref name="values"/> until the returned object is disposed.</summary>
    public static PinnedBytes Of(ReadOnlyMemory<float> values) => new(values.Pin(), values.Length * sizeof(float));

    public override Span<byte> GetSpan() => new(_pointer, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing) => _pin.Dispose();
}
