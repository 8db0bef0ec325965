using System.Globalization;
using System.Net;

namespace QuantCluster.Bench.AllReduce;

/// <summary>The benchmark's command line: a mode, then --name value pairs.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private BenchArgs(string mode) => Mode = mode;

    public string Mode { get; }

    public static BenchArgs Parse(string[] args)
    {
        if (args.Length == 0 || args.Length % 2 == 0)
        {
            throw new ArgumentException("usage: allreduce-bench ring|tcp-sink|tcp-source [--name value]...");
        }

        var parsed = new BenchArgs(args[0]);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected an option, got '{args[i]}'");
            }

            parsed._values[args[i][2..]] = args[i + 1];
        }

        return parsed;
    }

    public string Text(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var value) ? value
        : fallback ?? throw new ArgumentException($"--{name} is required for mode {Mode}");

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>
    /// Untimed iterations before the timed ones: enough to move --warmup-mb megabytes (default 2000), at least 3.
    /// .NET compiles the checksum and the ring's loops three times (quick, instrumented, optimized) over their first few
    /// hundred calls; a training job runs thousands of all-reduces, so the steady state is what the figures report. Every
    /// rank derives the same count, so the ranks stay in step.
    /// </summary>
    public int WarmupIterations(double megabytes) => Math.Max(3, (int)Math.Ceiling(Int("warmup-mb", 2000) / megabytes));

    /// <summary>Gradient sizes in MB (10^6 bytes); fractions allowed, e.g. 0.11 for LeNet's gradients.</summary>
    public double[] SizesMb() => Text("mb", "4,40").Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    public static IPEndPoint Endpoint(string text)
    {
        var endpoint = IPEndPoint.Parse(text);
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            // The benchmark is a loopback measurement; refusing other addresses keeps it off real networks.
            throw new ArgumentException($"{text} is not a loopback address");
        }

        return endpoint;
    }
}
