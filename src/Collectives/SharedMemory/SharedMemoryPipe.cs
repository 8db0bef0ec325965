using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace QuantCluster.Collectives.SharedMemory;

/// <summary>
/// A one-way byte stream between two processes on one host: a circular buffer in a memory-mapped file that one
/// producer writes and one consumer reads, with no system call per byte moved.
/// </summary>
/// <remarks>
/// The producer creates the file and proves the consumer sees the same memory with a random nonce in its header; once
/// both have it mapped, the file is deleted so nothing outlives the processes. Positions are byte counts that only grow,
/// so "how much is buffered" is head minus tail. Each side publishes its position with a full fence and then reads the
/// other side's "I am about to wait" flag, which lets a waiter sleep without a wake-up being lost (see
/// <see cref="SharedMemoryDoorbell"/>).
/// </remarks>
internal sealed unsafe partial class SharedMemoryPipe : IDisposable
{
    private const uint Magic = 0x50524351; // "QCRP" little-endian
    private const int NonceBytes = 16;
    private const int MinCapacity = 64;
    private const string NamePrefix = "quantcluster-ring-";

    // Each field the two sides write sits on its own cache line, so one side's writes do not evict what the other reads.
    private const int HeadOffset = 64;
    private const int TailOffset = 128;
    private const int ConsumerWaitingOffset = 192;
    private const int ProducerWaitingOffset = 256;
    private const int DataOffset = 4096;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly int _capacity;
    private int _disposed;

    private SharedMemoryPipe(string path, MemoryMappedFile file, int capacity, byte[] nonce)
    {
        Path = path;
        _file = file;
        _capacity = capacity;
        Nonce = nonce;
        _view = file.CreateViewAccessor(0, DataOffset + capacity, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    /// <summary>The file both processes map; deleted once both have it.</summary>
    public string Path { get; }

    /// <summary>The random bytes the producer wrote in the header, which the consumer must find to prove it mapped the same memory.</summary>
    public byte[] Nonce { get; }

    private ref long Head => ref Unsafe.AsRef<long>(_base + HeadOffset);

    private ref long Tail => ref Unsafe.AsRef<long>(_base + TailOffset);


    /// <summary>The producer's side: a new pipe of <paramref name="capacity"/> bytes (a power of two) in a new file under <paramref name="directory"/>.</summary>
    public static SharedMemoryPipe Create(string directory, int capacity)
    {
        if (capacity < MinCapacity || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"must be a power of two of at least {MinCapacity}");
        }

        var path = System.IO.Path.Combine(directory, $"{NamePrefix}{Guid.NewGuid():N}");
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var backing = CreateBacking(path, DataOffset + capacity);
        MemoryMappedFile file;
        try
        {
            file = MemoryMappedFile.CreateFromFile(backing, null, DataOffset + capacity, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        }
        catch
        {
            backing.Dispose();
            File.Delete(path);
            throw;
        }

        try
        {
            var pipe = new SharedMemoryPipe(path, file, capacity, nonce);
            var header = new Span<byte>(pipe._base, 32);
            BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
            BinaryPrimitives.WriteInt32LittleEndian(header[4..], capacity);
            nonce.CopyTo(header[8..]);
            return pipe;
        }
        catch
        {
            file.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>The file behind a new pipe: readable by this user only, and its pages reserved now.</summary>
    /// <remarks>
    /// A tmpfs hands out pages on first touch; were it full (a container's 64 MB /dev/shm), a later write into the
    /// mapping would kill the process with SIGBUS. Reserving up front turns that into an IOException here, and the
    /// ring stays on TCP.
    /// </remarks>
    private static FileStream CreateBacking(string path, long bytes)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
            PreallocationSize = bytes,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        try
        {
            stream.SetLength(bytes);
            return stream;
        }
        catch
        {
            stream.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// The consumer's side: maps the producer's file, or says why it cannot (another host, another container, no
    /// access, or not a pipe at all).
    /// </summary>
    /// <remarks>
    /// The path comes from the peer's greeting, so only a file named like a pipe, directly in this rank's own
    /// <paramref name="directory"/>, and not a link, is opened; size, magic and nonce are checked before anything is
    /// written. Every failure is a reason to stay on TCP, never an exception.
    /// </remarks>
    public static SharedMemoryPipe? TryOpen(string directory, string path, ReadOnlySpan<byte> nonce, out string? whyNot)
    {
        whyNot = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) != System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(directory))
                 || !PipeName().IsMatch(System.IO.Path.GetFileName(path)) ? $"{path} is not a pipe name in {directory}"
            : new FileInfo(path).LinkTarget is not null ? $"{path} is a symbolic link"
            : null;
        if (whyNot is not null)
        {
            return null;
        }

        FileStream? stream = null;
        MemoryMappedFile? file = null;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            var length = stream.Length;
            var capacity = length - DataOffset;
            if (capacity < MinCapacity || capacity > int.MaxValue || (capacity & (capacity - 1)) != 0)
            {
                whyNot = $"{path} is {length} bytes, not the size of a pipe";
                stream.Dispose();
                return null;
            }

            file = MemoryMappedFile.CreateFromFile(stream, null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            var pipe = new SharedMemoryPipe(path, file, (int)capacity, nonce.ToArray());
            var header = new ReadOnlySpan<byte>(pipe._base, 32);
            whyNot = BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic ? $"{path} is not a QuantCluster pipe"
                : BinaryPrimitives.ReadInt32LittleEndian(header[4..]) != capacity ? $"{path} states a capacity that does not match its size"
                : !header.Slice(8, NonceBytes).SequenceEqual(nonce) ? $"{path} holds another nonce (a different file of the same name)"
                : null;
            if (whyNot is null)
            {
                return pipe;
            }

            pipe.Dispose();
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A FIFO, a device, a file that vanished or shrank: whatever it is, it is not a pipe to use.
            file?.Dispose();
            stream?.Dispose();
            whyNot = $"cannot map {path}: {e.Message}";
            return null;
        }
    }

    /// <summary>Removes the file; the mappings stay valid until both sides dispose.</summary>
    public void Unlink() => File.Delete(Path);

    /// <summary>Producer: copies as much of <paramref name="source"/> as fits and publishes it; returns the bytes taken (0 when full).</summary>
    public int TryWrite(ReadOnlySpan<byte> source)
    {
        using var mapped = Lease();
        var head = Head; // only the producer writes it
        var free = _capacity - Buffered(head, Volatile.Read(ref Tail));
        var count = Math.Min(free, source.Length);
        if (count == 0)
        {
            return 0;
        }

        var start = (int)(head & (_capacity - 1));
        var first = Math.Min(count, _capacity - start);
        source[..first].CopyTo(new Span<byte>(_base + DataOffset + start, first));
        source[first..count].CopyTo(new Span<byte>(_base + DataOffset, count - first));
        Interlocked.Exchange(ref Head, head + count);
        return count;
    }

    /// <summary>Consumer: copies up to <paramref name="destination"/>.Length buffered bytes out and frees their space; returns the bytes read (0 when empty).</summary>
    public int TryRead(Span<byte> destination)
    {
        using var mapped = Lease();
        var tail = Tail; // only the consumer writes it
        var buffered = Buffered(Volatile.Read(ref Head), tail);
        var count = Math.Min(buffered, destination.Length);
        if (count == 0)
        {
            return 0;
        }

        var start = (int)(tail & (_capacity - 1));
        var first = Math.Min(count, _capacity - start);
        new ReadOnlySpan<byte>(_base + DataOffset + start, first).CopyTo(destination);
        new ReadOnlySpan<byte>(_base + DataOffset, count - first).CopyTo(destination[first..count]);
        Interlocked.Exchange(ref Tail, tail + count);
        return count;
    }

    /// <summary>Consumer: adds up to <paramref name="target"/>.Length buffered floats into <paramref name="target"/> straight from the shared buffer and frees their space; returns the floats added.</summary>
    /// <remarks>Every write and read moves whole floats (frames and headers are multiples of 4 bytes, the capacity a power of two of at least 64), so a float never straddles the wrap.</remarks>
    public int TryReadAdd(Span<float> target)
    {
        using var mapped = Lease();
        var tail = Tail;
        var buffered = Buffered(Volatile.Read(ref Head), tail);
        var count = Math.Min(buffered / sizeof(float), target.Length);
        if (count == 0)
        {
            return 0;
        }

        var start = (int)(tail & (_capacity - 1));
        var first = Math.Min(count, (_capacity - start) / sizeof(float));
        FloatSum.AddInPlace(target[..first], new ReadOnlySpan<float>(_base + DataOffset + start, first));
        FloatSum.AddInPlace(target[first..count], new ReadOnlySpan<float>(_base + DataOffset, count - first));
        Interlocked.Exchange(ref Tail, tail + count * sizeof(float));
        return count;
    }

    /// <summary>Producer: whether there is room for at least one byte.</summary>
    public bool HasSpace
    {
        get
        {
            using var mapped = Lease();
            return Volatile.Read(ref Head) - Volatile.Read(ref Tail) < _capacity;
        }
    }

    /// <summary>Consumer: whether at least one byte is buffered.</summary>
    public bool HasData
    {
        get
        {
            using var mapped = Lease();
            return Volatile.Read(ref Head) != Volatile.Read(ref Tail);
        }
    }

    /// <summary>Whether <paramref name="waiter"/> can go on: room for the producer, data for the consumer.</summary>
    public bool IsReady(PipeSide waiter) => waiter == PipeSide.Producer ? HasSpace : HasData;

    /// <summary><paramref name="waiter"/>, before it sleeps: asks the other side for a doorbell at its next move. Check <see cref="IsReady"/> again after this.</summary>
    public void AskForDoorbell(PipeSide waiter)
    {
        using var mapped = Lease();
        Interlocked.Exchange(ref Waiting(waiter), 1);
    }

    /// <summary><paramref name="waiter"/>, when it did not sleep after all: withdraws its request, so no doorbell is left to wake it for nothing later.</summary>
    public void WithdrawDoorbell(PipeSide waiter)
    {
        using var mapped = Lease();
        Interlocked.Exchange(ref Waiting(waiter), 0);
    }

    /// <summary>The other side, after it moved: true once per request from a <paramref name="waiter"/> that is (or is about to be) asleep.</summary>
    public bool TakeDoorbellRequest(PipeSide waiter)
    {
        using var mapped = Lease();
        ref var flag = ref Waiting(waiter);
        return Volatile.Read(ref flag) != 0 && Interlocked.Exchange(ref flag, 0) != 0;
    }

    private ref int Waiting(PipeSide side) =>
        ref Unsafe.AsRef<int>(_base + (side == PipeSide.Consumer ? ConsumerWaitingOffset : ProducerWaitingOffset));

    /// <summary>Bytes between the two positions; the other process wrote one of them, so a value outside the buffer is refused rather than used to index it.</summary>
    private int Buffered(long head, long tail)
    {
        var buffered = head - tail;
        if (buffered < 0 || buffered > _capacity)
        {
            throw new InvalidDataException($"its positions are corrupt (head {head}, tail {tail}, capacity {_capacity})");
        }

        return (int)buffered;
    }

    /// <summary>Keeps the mapping alive for one operation: a dispose that races it (a failing ring closing its link) unmaps only afterwards, and later calls throw <see cref="ObjectDisposedException"/> instead of touching freed memory.</summary>
    private MappingLease Lease() => new(_view.SafeMemoryMappedViewHandle);

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private readonly ref struct MappingLease
    {
        private readonly SafeHandle _handle;

        public MappingLease(SafeHandle handle)
        {
            var added = false;
            handle.DangerousAddRef(ref added);
            _handle = handle;
        }

        public void Dispose() => _handle.DangerousRelease();
    }

    [GeneratedRegex("^" + NamePrefix + "[0-9a-f]{32}$")]
    private static partial Regex PipeName();
}
