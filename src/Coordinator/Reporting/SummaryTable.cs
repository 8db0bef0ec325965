using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace QuantCluster.Coordinator.Reporting;

/// <summary>The job's outcome as one table for the person at the terminal: each model's accuracy and drop, the path taken, sizes and time.</summary>
public static class SummaryTable
{
    public static IRenderable Of(JobReport report, string outputFolder)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(report.Name)}[/]: {Markup.Escape(report.Model)}, {Markup.Escape(report.Path)} path")
            .AddColumn("model").AddColumn(new TableColumn("test accuracy").RightAligned()).AddColumn(new TableColumn("drop (points)").RightAligned());
        var a = report.Accuracy;
        void Row(string name, double? accuracy)
        {
            if (accuracy is double v) table.AddRow(name, v.ToString("P2", c), ((a.Fp32 - v) * 100).ToString("0.00", c));
        }
        Row("FP32", a.Fp32);
        Row("PTQ INT8", a.Ptq);
        Row("PTQ + FP32 fallback", a.PtqFallback);
        Row("QAT INT8", a.Qat);
        table.AddRow("[bold]delivered INT8[/]", $"[bold]{a.Final.ToString("P2", c)}[/]", $"[bold]{((a.Fp32 - a.Final) * 100).ToString("0.00", c)}[/]");
        table.Caption(string.Create(c,
            $"INT8 model {report.Bytes.Int8:N0} bytes ({(double)report.Bytes.Fp32 / Math.Max(1, report.Bytes.Int8):0.0}x smaller), {report.Seconds.GetValueOrDefault("total"):0.0} s; {Markup.Escape(outputFolder)}"));
        return table;
    }
}
