using System.Text.Json;
using System.Text.Json.Serialization;
using QuantCluster.Quantization;

namespace QuantCluster.Coordinator.Reporting;

/// <summary>Writes report.json (for machines) and report.md (for people), each atomically.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Write(string folder, JobReport report)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, "report.json"), JsonSerializer.Serialize(report, Json));
        AtomicFile.WriteAllText(Path.Combine(folder, "report.md"), MarkdownReport.Render(report));
    }

    public static JobReport Read(string path) =>
        JsonSerializer.Deserialize<JobReport>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty report");
}
