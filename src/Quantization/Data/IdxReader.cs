using System.Buffers.Binary;
using System.IO.Compression;

namespace QuantCluster.Quantization.Data;

/// <summary>Reads unsigned-byte IDX files (the MNIST format), gzipped or raw, and rejects any that do not match their header exactly.</summary>
public static class IdxReader
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an images file: magic 0x00000803, dimensions [count, rows, columns].</summary>
    public static IdxArray ReadImages(string path) => Read(path, 3, IdxContent.Images);

    /// <summary>Reads a labels file: magic 0x00000801, dimensions [count].</summary>
    public static IdxArray ReadLabels(string path) => Read(path, 1, IdxContent.Labels);

    /// <summary>Reads an unsigned-byte IDX file that must have exactly <paramref name="dimensionCount"/> dimensions.</summary>
    public static IdxArray Read(string path, int dimensionCount) => Read(path, dimensionCount, IdxContent.Data);

    private static IdxArray Read(string path, int dimensionCount, IdxContent content)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensionCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensionCount, byte.MaxValue);

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        bool gzipped = StartsWithGzipMagic(file);
        file.Position = 0;
        using var gzip = gzipped ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : null;
        var parser = new Parser(path, gzip ?? (Stream)file, dimensionCount, content, gzipped);
        try
        {
            return parser.Parse();
        }
        catch (InvalidDataException e) when (gzipped)
        {
            // .NET reports every zlib data error (bad header, bad block, CRC mismatch) with one generic message; keep it as detail only.
            throw new DataFormatException($"{path}: corrupt gzip stream (the decompressor says: {e.Message})", e);
        }
    }

    private static bool StartsWithGzipMagic(Stream file)
    {
        Span<byte> start = stackalloc byte[2];
        return file.ReadAtLeast(start, 2, throwOnEndOfStream: false) == 2 && start[0] == 0x1f && start[1] == 0x8b;
    }

    private enum IdxContent
    {
        Data,
        Images,
        Labels,
    }

    private sealed class Parser(string path, Stream stream, int dimensionCount, IdxContent content, bool gzipped)
    {
        private int HeaderLength => 4 + (4 * dimensionCount);

        // Byte counts in messages are of the IDX content; for a gzipped file that is after decompression.
        private string FileHas => gzipped ? "decompressed file has" : "file has";

        public IdxArray Parse()
        {
            uint expectedMagic = ((uint)UnsignedByteType << 8) | (uint)dimensionCount;
            Span<byte> magicBytes = stackalloc byte[4];
            int magicRead = stream.ReadAtLeast(magicBytes, 4, throwOnEndOfStream: false);
            if (magicRead < 4)
            {
                throw Error($"truncated: {FileHas} {magicRead} bytes, too short for the magic number 0x{expectedMagic:X8} ({Describe(expectedMagic)})");
            }

            uint magic = BinaryPrimitives.ReadUInt32BigEndian(magicBytes);
            if (magic != expectedMagic)
            {
                throw Error(MagicMismatch(expectedMagic, magic));
            }

            int[] dimensions = ReadDimensions();
            long length = PayloadLength(dimensions);
            var data = new byte[length];
            int read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            if (read < data.Length)
            {
                throw Error($"truncated: {HeaderSays(dimensions, length)}, {FileHas} {read} after the {HeaderLength}-byte header");
            }

            long trailing = CountRemainingBytes();
            if (trailing > 0)
            {
                throw Error($"{trailing} trailing bytes: {HeaderSays(dimensions, length)}, {FileHas} {length + trailing} after the {HeaderLength}-byte header");
            }

            return new IdxArray(dimensions, data);
        }

        private int[] ReadDimensions()
        {
            var header = new byte[4 * dimensionCount];
            int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            if (read < header.Length)
            {
                throw Error($"truncated: the header of {dimensionCount} dimensions needs {HeaderLength} bytes, {FileHas} {4 + read}");
            }

            var dimensions = new int[dimensionCount];
            for (int i = 0; i < dimensionCount; i++)
            {
                uint size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 * i));
                if (size > int.MaxValue)
                {
                    throw Error($"dimension {i} is {size}, larger than any array can hold");
                }

                dimensions[i] = (int)size;
            }

            return dimensions;
        }

        private long PayloadLength(int[] dimensions)
        {
            if (Array.IndexOf(dimensions, 0) >= 0)
            {
                return 0;
            }

            // Each factor is below 2^31 and the running product stops at Array.MaxLength, so a long never overflows.
            long length = 1;
            foreach (int size in dimensions)
            {
                length *= size;
                if (length > Array.MaxLength)
                {
                    throw Error($"header says {string.Join('x', dimensions)} bytes of {Noun}, more than one array can hold");
                }
            }

            return length;
        }

        // Counting rather than rejecting at the first extra byte lets the message say how long the file really is.
        private long CountRemainingBytes()
        {
            var buffer = new byte[1 << 16];
            long total = 0;
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                total += read;
            }

            return total;
        }

        private string MagicMismatch(uint expected, uint found)
        {
            string wanted = $"expected magic 0x{expected:X8} ({Describe(expected)}), found 0x{found:X8}";
            if ((found >> 16) != 0)
            {
                // IDX magic numbers start with two zero bytes; anything else is not IDX at all.
                return $"not an IDX file (nor gzip): {wanted}";
            }

            return $"{wanted} ({Describe(found)})";
        }

        private string Describe(uint magic)
        {
            int type = (int)((magic >> 8) & 0xff);
            int dims = (int)(magic & 0xff);
            string typeName = type switch
            {
                0x08 => "ubyte",
                0x09 => "sbyte",
                0x0B => "short",
                0x0C => "int",
                0x0D => "float",
                0x0E => "double",
                _ => $"unknown type 0x{type:X2}",
            };
            string what = type == UnsignedByteType && dims == dimensionCount && content != IdxContent.Data
                ? $"{typeName} {content.ToString().ToLowerInvariant()}"
                : typeName;
            return $"{what}, {dims} {(dims == 1 ? "dim" : "dims")}";
        }

        private string Noun => content switch
        {
            IdxContent.Images => "pixels",
            IdxContent.Labels => "labels",
            _ => "data",
        };

        private string HeaderSays(int[] dimensions, long length) =>
            $"header says {string.Join('x', dimensions)} = {length} bytes of {Noun}";

        private DataFormatException Error(string problem) => new($"{path}: {problem}");
    }
}
