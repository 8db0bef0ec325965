using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace QuantCluster.Quantization.Data;

/// <summary>
/// Reads NumPy .npy arrays (format versions 1 to 3, little-endian, C order) of the types data sets use: uint8, float32,
/// int32, int64. Values are read straight into an array of their own type, so a file is held once in memory.
/// </summary>
public static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Read(file, path);
    }

    /// <param name="name">Names the array in errors: the file, or the archive and the array in it.</param>
    public static NpyArray Read(Stream stream, string name)
    {
        var start = new byte[8];
        if (stream.ReadAtLeast(start, 8, throwOnEndOfStream: false) < 8 || !start.AsSpan(0, 6).SequenceEqual(Magic))
            throw Error(name, "not a NumPy .npy array (it does not start with \\x93NUMPY)");
        int major = start[6];
        if (major is not (1 or 2 or 3))
            throw Error(name, $".npy format version {major}.{start[7]} is not one this reader knows (1 to 3)");
        // Version 1 gives the header length in 2 bytes, versions 2 and 3 in 4.
        uint headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(stream, 2, name, "header length"))
            : BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(stream, 4, name, "header length"));
        if (headerLength > 1 << 20) throw Error(name, $"header of {headerLength} bytes is implausibly long");

        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(ReadExactly(stream, (int)headerLength, name, "header"));
        var type = ElementType(header, name);
        if (FortranOrder().Match(header) is { Success: true } fortran && fortran.Groups[1].Value == "True")
            throw Error(name, "array is in Fortran (column-major) order; save it with numpy.ascontiguousarray first");
        var shape = Shape(header, name);
        int itemSize = type switch { NpyType.UInt8 => 1, NpyType.Float32 or NpyType.Int32 => 4, _ => 8 };
        // Checked before anything is allocated: a header can announce any shape, and a span of bytes ends at 2 GiB.
        long count = 1;
        foreach (long dimension in shape)
        {
            count *= dimension;
            if (count * itemSize > int.MaxValue) throw Error(name, $"{string.Join('x', shape)} values are over the 2 GiB one array of them can hold");
        }
        if (stream.CanSeek && stream.Length - stream.Position < count * itemSize)
            throw Error(name, $"truncated: the header says {string.Join('x', shape)} values ({count * itemSize} bytes), the file has {stream.Length - stream.Position}");
        Array values = type switch
        {
            NpyType.UInt8 => new byte[count],
            NpyType.Float32 => new float[count],
            NpyType.Int32 => new int[count],
            _ => new long[count],
        };
        var bytes = AsBytes(values);
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read < bytes.Length)
            throw Error(name, $"truncated: the header says {string.Join('x', shape)} values ({bytes.Length} bytes), the file has {read}");
        if (stream.ReadByte() >= 0)
            throw Error(name, $"trailing bytes after the {string.Join('x', shape)} values the header announces");
        return new NpyArray(type, shape, values);
    }

    private static Span<byte> AsBytes(Array values) => values switch
    {
        byte[] b => b,
        float[] f => MemoryMarshal.AsBytes(f.AsSpan()),
        int[] i => MemoryMarshal.AsBytes(i.AsSpan()),
        long[] l => MemoryMarshal.AsBytes(l.AsSpan()),
        _ => throw new ArgumentException("unsupported array", nameof(values)),
    };

    private static NpyType ElementType(string header, string name)
    {
        var match = Descr().Match(header);
        if (!match.Success) throw Error(name, "header has no 'descr' (element type)");
        string descr = match.Groups[1].Value;
        if (descr.Length == 3 && descr[0] == '>' && descr[2] != '1')
            throw Error(name, $"dtype {descr} is big-endian; allowed: little-endian uint8, float32, int32 or int64");
        // '|' (no byte order), '<' (little) and '=' (native, little on every machine .NET runs this on) read alike.
        return descr.TrimStart('<', '|', '=', '>') switch
        {
            "u1" => NpyType.UInt8,
            "f4" => NpyType.Float32,
            "i4" => NpyType.Int32,
            "i8" => NpyType.Int64,
            _ => throw Error(name, $"dtype {descr} ({Describe(descr)}) is not supported; allowed: uint8, float32, int32, int64"),
        };
    }

    private static string Describe(string descr) => descr.TrimStart('<', '|', '=', '>') switch
    {
        "f8" => "float64",
        "f2" => "float16",
        "i1" => "int8",
        "i2" => "int16",
        "u2" => "uint16",
        "u4" => "uint32",
        "u8" => "uint64",
        "b1" => "bool",
        var other => other,
    };

    private static int[] Shape(string header, string name)
    {
        var match = ShapeTuple().Match(header);
        if (!match.Success) throw Error(name, "header has no 'shape'");
        var parts = match.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i].TrimEnd('L'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out shape[i]))
                throw Error(name, $"shape ({match.Groups[1].Value}) has a dimension that is not a whole number below 2^31");
        }
        return shape;
    }

    private static byte[] ReadExactly(Stream stream, int count, string name, string what)
    {
        var bytes = new byte[count];
        if (stream.ReadAtLeast(bytes, count, throwOnEndOfStream: false) < count) throw Error(name, $"truncated in the {what}");
        return bytes;
    }

    private static DataFormatException Error(string name, string problem) => new($"{name}: {problem}");

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranOrder();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeTuple();
}
