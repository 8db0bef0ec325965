using System.IO.Compression;

namespace QuantCluster.Quantization.Data;

/// <summary>Reads named arrays out of a NumPy .npz archive (numpy.savez or savez_compressed: a zip of .npy files).</summary>
public static class NpzReader
{
    /// <summary>The array saved under <paramref name="array"/> (the archive entry array.npy).</summary>
    public static NpyArray Read(string path, string array)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException($"{path}: not an .npz archive (the zip reader says: {e.Message})", e);
        }

        using (zip)
        {
            var entry = zip.GetEntry(array + ".npy")
                ?? throw new DataFormatException(
                    $"{path}: has no array '{array}' (it holds {Names(zip)}); allowed: an .npz with arrays 'images' and 'labels', e.g. numpy.savez(path, images=x, labels=y)");
            try
            {
                using var stream = entry.Open();
                return NpyReader.Read(stream, $"{path}: array '{array}'");
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException($"{path}: array '{array}' is corrupt (the zip reader says: {e.Message})", e);
            }
        }
    }

    private static string Names(ZipArchive zip)
    {
        var names = zip.Entries.Select(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal) ? e.FullName[..^4] : e.FullName).ToArray();
        return names.Length == 0 ? "nothing" : string.Join(", ", names.Select(n => $"'{n}'"));
    }
}
