namespace QuantCluster.Coordinator.Reporting;

/// <summary>Proves, before any node starts, that a job's output folder can take its results: so a job never trains for minutes and then fails to write.</summary>
public static class OutputFolder
{
    /// <summary>Free space below this stops the job: the zoo's results take under 2 MB and a job's logs a few MB, so 64 MiB means "not full".</summary>
    public const long MinimumFreeBytes = 64L << 20;

    /// <summary>Checks that the folder (or, while it does not exist yet, the folder it would be made in) is a writable folder with room; creates nothing.</summary>
    /// <exception cref="OutputFolderException">It is a file, cannot be written, or the disk is nearly full.</exception>
    public static void Check(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (File.Exists(full)) throw new OutputFolderException(full, "is a file, not a folder");
        var existing = NearestExisting(full);
        if (File.Exists(existing)) throw new OutputFolderException(full, $"cannot be made: {existing} is a file");
        Probe(full, existing);
        long free = new DriveInfo(existing).AvailableFreeSpace;
        if (free < MinimumFreeBytes)
            throw new OutputFolderException(full, $"has {free:N0} bytes free on its disk; a job needs at least {MinimumFreeBytes:N0}");
    }

    private static string NearestExisting(string full)
    {
        var path = full;
        while (!Directory.Exists(path) && !File.Exists(path))
            path = Path.GetDirectoryName(path) ?? throw new OutputFolderException(full, "has no existing parent folder");
        return path;
    }

    // Writing is the only proof: permissions, read-only mounts and quotas all answer here.
    private static void Probe(string full, string existing)
    {
        var probe = Path.Combine(existing, $".quantcluster-probe-{Guid.NewGuid():N}");
        try
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.DeleteOnClose);
            stream.Write(new byte[4096]);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(full, existing == full ? $"is not writable: {e.Message}" : $"cannot be made in {existing}: {e.Message}");
        }
    }
}

/// <summary>The output folder cannot take a job's results; the message names the folder and why.</summary>
public sealed class OutputFolderException : Exception
{
    public OutputFolderException(string folder, string problem)
        : base($"output folder {folder} {problem}")
    {
    }

    public OutputFolderException()
    {
    }

    public OutputFolderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
