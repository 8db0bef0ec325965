using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

namespace QuantCluster.Tests.Data;

/// <summary>Builds .npy and .npz file contents as NumPy writes them (format 1.0, C order), for loader tests.</summary>
internal static class NpyBytes
{
    public static byte[] Of(byte[] values, params int[] shape) => Build("|u1", shape, values);

    public static byte[] Of(float[] values, params int[] shape) => Build("<f4", shape, MemoryMarshal.AsBytes(values.AsSpan()));

    public static byte[] Of(int[] values, params int[] shape) => Build("<i4", shape, MemoryMarshal.AsBytes(values.AsSpan()));

    public static byte[] Of(long[] values, params int[] shape) => Build("<i8", shape, MemoryMarshal.AsBytes(values.AsSpan()));

    public static byte[] Of(double[] values, params int[] shape) => Build("<f8", shape, MemoryMarshal.AsBytes(values.AsSpan()));

    /// <summary>An array with the given header fields, as numpy.save writes it: the header padded so the data starts on a 64-byte boundary.</summary>
    public static byte[] Build(string descr, int[] shape, ReadOnlySpan<byte> data, bool fortranOrder = false)
    {
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string header = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': ({dims}), }}";
        int total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + ((64 - (total % 64)) % 64)) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.Add(1);
        bytes.Add(0);
        bytes.Add((byte)(header.Length & 0xff));
        bytes.Add((byte)(header.Length >> 8));
        bytes.AddRange(Encoding.Latin1.GetBytes(header));
        bytes.AddRange(data.ToArray());
        return [.. bytes];
    }

    /// <summary>An .npz archive as numpy.savez writes it: each array as the entry NAME.npy.</summary>
    public static byte[] Npz(params (string Name, byte[] Npy)[] arrays)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, npy) in arrays)
            {
                using var entry = zip.CreateEntry(name + ".npy").Open();
                entry.Write(npy);
            }
        }

        return buffer.ToArray();
    }
}
