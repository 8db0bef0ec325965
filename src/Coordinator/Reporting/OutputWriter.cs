using QuantCluster.Coordinator.Jobs;
using QuantCluster.Node;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Onnx;

namespace QuantCluster.Coordinator.Reporting;

/// <summary>
/// Writes a finished job's files into the output folder all or nothing: everything is written into a staging folder
/// beside them first, and only when every file is there are they moved in (models first, the report last), so a failed
/// write (a full disk, a model that cannot be exported) leaves no half set of results behind.
/// </summary>
public static class OutputWriter
{
    public const string Fp32File = "model.fp32.ckpt";
    public const string Int8File = "model.int8.qci8";
    public const string StagingFolder = ".incomplete";

    public static JobReport Write(string folder, JobResult result)
    {
        var staging = Path.Combine(folder, StagingFolder);
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true); // a crashed earlier run's leftovers
        Directory.CreateDirectory(staging);
        try
        {
            var report = WriteAll(staging, result);
            var files = CommitOrder(staging).Select(f => (From: f, To: Path.Combine(folder, Path.GetFileName(f)))).ToArray();
            // A folder where a result goes is the one obstacle a move would meet half way through; refuse before moving any.
            if (files.FirstOrDefault(f => Directory.Exists(f.To)) is { To: { } blocked })
                throw new IOException($"{blocked} is a folder, so the job's results were not written; move it away and run again");
            foreach (var (from, to) in files) File.Move(from, to, overwrite: true);
            return report;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static JobReport WriteAll(string folder, JobResult result)
    {
        var fp32 = Path.Combine(folder, Fp32File);
        var int8 = Path.Combine(folder, Int8File);
        ModelCheckpoint.WriteFile(fp32, result.Fp32);
        Int8ModelFile.Write(int8, result.Int8);
        OnnxModelFile.Write(Path.Combine(folder, OnnxNames.Fp32File), Fp32OnnxExporter.Export(result.Fp32));
        OnnxModelFile.Write(Path.Combine(folder, OnnxNames.Int8File), Int8OnnxExporter.Export(result.Int8));
        var report = result.Report with
        {
            Bytes = new SizeFigures(new FileInfo(fp32).Length, new FileInfo(int8).Length),
            Files = new Dictionary<string, string>
            {
                ["fp32_checkpoint"] = Fp32File,
                ["int8_model"] = Int8File,
                ["fp32_onnx"] = OnnxNames.Fp32File,
                ["int8_onnx"] = OnnxNames.Int8File,
                ["report_json"] = "report.json",
                ["report_md"] = "report.md",
                ["log"] = LogSetup.JsonLogFile,
            },
        };
        report = SensitivityPlot.Write(folder, report);
        report = TrainingPlot.Write(folder, report);
        ReportWriter.Write(folder, report);
        return report;
    }

    // report.json last: a reader that finds it finds every file it names.
    private static IEnumerable<string> CommitOrder(string staging) =>
        Directory.GetFiles(staging).OrderBy(f => Path.GetFileName(f) switch { "report.json" => 2, "report.md" => 1, _ => 0 }).ThenBy(f => f, StringComparer.Ordinal);
}
