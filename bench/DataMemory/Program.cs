using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using QuantCluster.Quantization.Data;
using QuantCluster.Quantization.Models;

// Memory a process holds for a data set that several actors read: writes an .npz of --images 28x28 samples (uint8, or
// float32 with --float) made from the shipped Fashion-MNIST training images in order (sample i is image i mod 8,000),
// then opens it through one DataSetCache for --actors actors, each also taking its training view (1,000 samples held
// out), as replicas and calibration actors of one process do. Reports the live managed heap the data adds after a full
// collection, against N x C x H x W x (1 or 4) bytes. bench/data-memory.sh runs it for uint8 and float32.
// Usage: data-memory [--images 80000] [--actors 4] [--float] [--data data/fashion-mnist] [--work /tmp]
var arguments = Arguments.Parse(args);
var model = ModelZoo.Signature("lenet");
string npz = Path.Combine(arguments.Work, $"qc-data-memory-{arguments.Images}-{(arguments.Float ? "float32" : "uint8")}.npz");
var source = DataSetLoader.Load(
    new DataSetSpec(DataFormat.IdxFiles, Path.Combine(arguments.Data, "train-images-idx3-ubyte.gz"), Path.Combine(arguments.Data, "train-labels-idx1-ubyte.gz"), ArrayLayout.Nchw, Normalization.None),
    model);
NpzFile.Write(npz, ((ByteValues)source.Values).Values, source.Labels, arguments.Images, arguments.Float);
source = null;

long baseline = GC.GetTotalMemory(forceFullCollection: true);
var clock = Stopwatch.StartNew();
var cache = new DataSetCache();
var spec = new DataSetSpec(DataFormat.Npz, npz, null, ArrayLayout.Nchw, Normalization.None);
var views = new List<LabeledImages>();
for (int actor = 0; actor < arguments.Actors; actor++)
{
    var all = cache.Get(spec, model);
    views.Add(DataSplit.HoldOut(all.Count, 1000, seed: 42).TrainingImages(all));
}
double seconds = clock.Elapsed.TotalSeconds;
long held = GC.GetTotalMemory(forceFullCollection: true) - baseline;
long values = (long)arguments.Images * model.SampleSize * (arguments.Float ? sizeof(float) : 1);
GC.KeepAlive(views);
File.Delete(npz);
Console.WriteLine(FormattableString.Invariant(
    $"images {arguments.Images} dtype {(arguments.Float ? "float32" : "uint8")} actors {arguments.Actors} load_seconds {seconds:0.00} held_bytes {held} values_bytes {values} held_over_values {(double)held / values:0.000} peak_working_set {Process.GetCurrentProcess().PeakWorkingSet64}"));

/// <summary>Command line of the benchmark.</summary>
internal sealed record Arguments(int Images, int Actors, bool Float, string Data, string Work)
{
    public static Arguments Parse(string[] args)
    {
        var result = new Arguments(80_000, 4, false, "data/fashion-mnist", Path.GetTempPath());
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--float")
            {
                result = result with { Float = true };
                continue;
            }
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            result = args[i] switch
            {
                "--images" => result with { Images = int.Parse(value, CultureInfo.InvariantCulture) },
                "--actors" => result with { Actors = int.Parse(value, CultureInfo.InvariantCulture) },
                "--data" => result with { Data = value },
                "--work" => result with { Work = value },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
            i++;
        }
        return result;
    }
}

/// <summary>Writes an .npz as numpy.savez does (stored entries images.npy and labels.npy, format 1.0 headers).</summary>
internal static class NpzFile
{
    public static void Write(string path, byte[] pixels, int[] labels, int count, bool asFloat)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        using (var images = zip.CreateEntry("images.npy", CompressionLevel.NoCompression).Open())
        {
            images.Write(Header(asFloat ? "<f4" : "|u1", $"{count}, 28, 28"));
            var sample = new float[784];
            for (int i = 0; i < count; i++)
            {
                var bytes = pixels.AsSpan((i % labels.Length) * 784, 784);
                if (!asFloat)
                {
                    images.Write(bytes);
                    continue;
                }
                for (int p = 0; p < 784; p++) sample[p] = bytes[p] / 255f;
                images.Write(MemoryMarshal.AsBytes(sample.AsSpan()));
            }
        }
        using var labelStream = zip.CreateEntry("labels.npy", CompressionLevel.NoCompression).Open();
        labelStream.Write(Header("<i4", $"{count},"));
        for (int i = 0; i < count; i++) labelStream.Write(BitConverter.GetBytes(labels[i % labels.Length]));
    }

    private static byte[] Header(string descr, string shape)
    {
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({shape}), }}";
        header = header.PadRight(header.Length + ((64 - ((10 + header.Length + 1) % 64)) % 64)) + "\n";
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)(header.Length & 0xff), (byte)(header.Length >> 8), .. Encoding.Latin1.GetBytes(header)];
    }
}
