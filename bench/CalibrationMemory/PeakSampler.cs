using System.Diagnostics;

namespace QuantCluster.Bench.CalibrationMemory;

/// <summary>
/// Samples the managed heap (GC.GetTotalMemory without collecting: live objects plus garbage not yet collected, what
/// the process actually holds; its peak is mostly the gen0 budget) every millisecond on its own thread and keeps the
/// largest value, until stopped.
/// </summary>
internal sealed class PeakSampler
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peak;

    public PeakSampler()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "peak sampler" };
        _thread.Start();
    }

    /// <summary>The kernel's high-water mark of resident memory (VmHWM), over the whole process life.</summary>
    public static long PeakWorkingSetBytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    /// <summary>Stops sampling and returns the peak GC heap in bytes.</summary>
    public long Stop()
    {
        _stop = true;
        _thread.Join();
        Sample();
        return Interlocked.Read(ref _peak);
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
