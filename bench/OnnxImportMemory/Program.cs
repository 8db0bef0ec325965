using System.Diagnostics;
using QuantCluster.Bench.CalibrationMemory;
using QuantCluster.Quantization.Onnx.Import;

// Imports one ONNX file and reports the managed memory it took: the peak GC heap while importing (sampled every
// millisecond, live objects plus garbage not yet collected), less the heap before; everything allocated; and what the
// imported graph keeps. The import does not load libtorch. bench/onnx-import-memory.sh runs it under a GC heap hard
// limit of 3x the file's size, so passing proves the peak stayed below that.
// Usage: onnx-import-memory FILE
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: onnx-import-memory FILE");
    return 2;
}
string path = args[0];
long fileBytes = new FileInfo(path).Length;
long baseline = GC.GetTotalMemory(forceFullCollection: true);
long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
var clock = Stopwatch.StartNew();
var sampler = new PeakSampler();
var graph = OnnxModelImporter.Import(path);
long peak = sampler.Stop() - baseline;
double seconds = clock.Elapsed.TotalSeconds;
long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
long kept = GC.GetTotalMemory(forceFullCollection: true) - baseline;
GC.KeepAlive(graph);
Console.WriteLine($"file {Path.GetFileName(path)} file_bytes {fileBytes} nodes {graph.Nodes.Count} seconds {seconds:F2}");
Console.WriteLine($"peak_gc_heap {peak} allocated {allocated} kept {kept} gen2_collections {GC.CollectionCount(2)}");
Console.WriteLine($"peak / file {(double)peak / fileBytes:F2}, allocated / file {(double)allocated / fileBytes:F2}, kept / file {(double)kept / fileBytes:F2}");
return 0;
