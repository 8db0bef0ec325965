using System.Globalization;

namespace QuantCluster.Bench.AllReduce;

/// <summary>Medians and the one-line result format the script collects.</summary>
internal static class Results
{
    public static double Median(List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Prints "result impl=... world=... mb=... median_ms=... gbps=..." with GB = 10^9 bytes.</summary>
    /// <remarks>cpu_ms is this process's CPU time per timed iteration: on a loaded machine it shows the cost that wall time hides.</remarks>
    public static void Print(string impl, int world, double megabytes, List<double> milliseconds, TimeSpan cpu)
    {
        var median = Median(milliseconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result impl={impl} world={world} mb={megabytes} median_ms={median:0.000} min_ms={milliseconds.Min():0.000} gbps={megabytes * 1e6 / (median / 1e3) / 1e9:0.000} cpu_ms={cpu.TotalMilliseconds / milliseconds.Count:0.000} n={milliseconds.Count}"));
    }
}
