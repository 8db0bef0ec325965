using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace QuantCluster.Node;

/// <summary>
/// Serilog for a process: readable lines on the console (or JSON, one event a line, for containers whose logs a
/// collector reads), structured JSON in the job's output folder. Every event carries the process's role; trace and
/// span ids come with each event written inside a span. Stack traces go to the JSON forms only.
/// </summary>
public static class LogSetup
{
    public const string JsonLogFile = "logs/quantcluster.json";

    /// <param name="node">This process's cluster address, once it is known.</param>
    public static Logger Create(string? outputFolder, string role, bool consoleJson = false, string? node = null, LogEventLevel consoleLevel = LogEventLevel.Information)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .MinimumLevel.Override("Akka", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Role", role);
        if (node is not null) config = config.Enrich.WithProperty("Node", node);
        config = consoleJson
            ? config.WriteTo.Console(new CompactJsonFormatter(), restrictedToMinimumLevel: consoleLevel)
            // Text is for a person: one line an event, no stack traces (the JSON forms, console or file, keep them).
            : config.WriteTo.Console(restrictedToMinimumLevel: consoleLevel, outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}");
        if (outputFolder is not null)
            config = config.WriteTo.File(new CompactJsonFormatter(), Path.Combine(outputFolder, JsonLogFile));
        return config.CreateLogger();
    }

    /// <summary>The --log-format value (or QUANTCLUSTER_LOG_FORMAT): true for json, false for text (the default).</summary>
    /// <exception cref="ArgumentException">Neither text nor json.</exception>
    public static bool ParseConsoleJson(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "text" => false,
        "json" => true,
        _ => throw new ArgumentException($"--log-format: '{value}' is not a format; allowed: text, json (QUANTCLUSTER_LOG_FORMAT)"),
    };
}
