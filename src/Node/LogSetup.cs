using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace QuantCluster.Node;

/// <summary>Serilog for a job: readable lines on the console, structured JSON (one event a line) in the output folder.</summary>
public static class LogSetup
{
    public const string JsonLogFile = "logs/quantcluster.json";

    public static ILogger Create(string? outputFolder, LogEventLevel consoleLevel = LogEventLevel.Information)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .MinimumLevel.Override("Akka", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(restrictedToMinimumLevel: consoleLevel, outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}");
        if (outputFolder is not null)
            config = config.WriteTo.File(new CompactJsonFormatter(), Path.Combine(outputFolder, JsonLogFile));
        return config.CreateLogger();
    }
}
