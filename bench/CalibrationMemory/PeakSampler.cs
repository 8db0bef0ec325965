using System.Diagnostics;

namespace QuantCluster.Bench.CalibrationMemory;

/// <summary>
/// Samples the managed heap (GC.GetTotalMemory without collecting: live objects plus garbage not yet collected, what
/// the process actually holds) every millisecond on its own thread and keeps the largest value, until disposed.
/// </summary>
internal sealed class PeakSampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peak;

    public PeakSampler()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "peak sampler" };
        _thread.Start();
    }

    public long PeakGcHeapBytes => Interlocked.Read(ref _peak);

    /// <summary>The kernel's high-water mark of resident memory (VmHWM), over the whole process life.</summary>
    public static long PeakWorkingSetBytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        Sample();
    }

    private void Run()
    {
        while (!_stop)
        {
            Sample();
            Thread.Sleep(1);
        }
    }

    private void Sample()
    {
        long now = GC.GetTotalMemory(forceFullCollection: false);
        long seen = Interlocked.Read(ref _peak);
        while (now > seen)
        {
            long previous = Interlocked.CompareExchange(ref _peak, now, seen);
            if (previous == seen) break;
            seen = previous;
        }
    }
}
