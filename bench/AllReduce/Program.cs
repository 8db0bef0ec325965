using QuantCluster.Bench.AllReduce;

// One process per rank (mode ring) or per end of a raw stream (tcp-sink, tcp-source); bench/allreduce.sh starts them.
var parsed = BenchArgs.Parse(args);
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
return parsed.Mode switch
{
    "ring" => await RingBenchmark.RunAsync(parsed, cancel.Token),
    "tcp-sink" => await RawTcpBenchmark.SinkAsync(parsed, cancel.Token),
    "tcp-source" => await RawTcpBenchmark.SourceAsync(parsed, cancel.Token),
    _ => throw new ArgumentException($"unknown mode '{parsed.Mode}'"),
};
