using QuantCluster.Coordinator.Jobs;
using QuantCluster.Node;
using QuantCluster.Quantization.Integer;
using QuantCluster.Quantization.Models;
using QuantCluster.Quantization.Onnx;

namespace QuantCluster.Coordinator.Reporting;

/// <summary>Writes a finished job's files into the output folder: models first, the report last, each atomically.</summary>
public static class OutputWriter
{
    public const string Fp32File = "model.fp32.ckpt";
    public const string Int8File = "model.int8.qci8";

    public static JobReport Write(string folder, JobResult result)
    {
        Directory.CreateDirectory(folder);
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
        ReportWriter.Write(folder, report);
        return report;
    }
}
