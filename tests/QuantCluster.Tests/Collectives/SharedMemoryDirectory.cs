using QuantCluster.Collectives.Tcp;

namespace QuantCluster.Tests.Collectives;

/// <summary>A directory of its own for a test's shared-memory pipes, so the test can see what is left in it and nothing leaks into /dev/shm.</summary>
internal sealed class SharedMemoryDirectory : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("qc-shm-test-");

    public string Path => _directory.FullName;

    public RingTransportOptions Options(int pipeBytes = 1 << 20) => new(Path, pipeBytes);

    public string[] Files() => Directory.GetFiles(Path);

    public void Dispose() => _directory.Delete(recursive: true);
}
